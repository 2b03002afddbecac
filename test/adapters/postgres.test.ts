import { runSuitesOn } from '../support/suites-target.js'
import { postgresTarget } from '../support/targets.js'

runSuitesOn(postgresTarget)
