import { runSuitesOn } from '../support/suites-target.js'
import { mysqlTarget } from '../support/targets.js'

runSuitesOn(mysqlTarget)
