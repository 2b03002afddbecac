import { runConformanceOn } from '../support/conformance-target.js'
import { sqliteTarget } from '../support/targets.js'

runConformanceOn(sqliteTarget)
