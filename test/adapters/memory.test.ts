import { memoryStorage } from '../../src/adapters/memory/index.js'
import { runStorageConformance } from '../../src/testing/index.js'

runStorageConformance({ name: 'memory', create: () => memoryStorage() })
