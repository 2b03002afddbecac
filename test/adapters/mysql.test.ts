import { runConformanceOn } from '../support/conformance-target.js'
import { mysqlTarget } from '../support/targets.js'

runConformanceOn(mysqlTarget)
