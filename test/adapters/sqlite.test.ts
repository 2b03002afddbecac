import { runSuitesOn } from '../support/suites-target.js'
import { sqliteTarget } from '../support/targets.js'

runSuitesOn(sqliteTarget)
