import { runSuitesOn } from '../support/suites-target.js'
import { sqliteMergingTarget } from '../support/targets.js'

runSuitesOn(sqliteMergingTarget)
