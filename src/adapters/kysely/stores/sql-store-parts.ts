import type { StatementSet } from '../statement-set.js'
import type { TransactionRunner } from '../transaction-runner.js'
import type { DocumentOps } from './document-ops.js'

/** What every SQL sub-store runs on: the engine's runner, its statements and the document helpers. */
export interface SqlStoreParts {
  readonly runner: TransactionRunner
  readonly sql: StatementSet
  readonly ops: DocumentOps
}
