import { runSuitesOn } from '../support/suites-target.js'
import { memoryTarget } from '../support/targets.js'

runSuitesOn(memoryTarget)
