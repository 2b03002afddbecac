import { runConformanceOn } from '../support/conformance-target.js'
import { postgresTarget } from '../support/targets.js'

runConformanceOn(postgresTarget)
