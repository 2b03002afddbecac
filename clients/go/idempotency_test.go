package kobometer

import (
	"sort"
	"testing"
)

func TestGeneratedKeysAreUUIDv7InIncreasingOrder(t *testing.T) {
	const n = 10000 // more than the 4096 sequence values of one millisecond
	keys := make([]string, n)
	for i := range keys {
		key, err := NewIdempotencyKey()
		if err != nil {
			t.Fatal(err)
		}
		if !uuidV7.MatchString(key) {
			t.Fatalf("%q is not a UUIDv7", key)
		}
		keys[i] = key
	}
	if !sort.StringsAreSorted(keys) {
		t.Error("keys must sort in the order they were made")
	}
	for i := 1; i < n; i++ {
		if keys[i] == keys[i-1] {
			t.Fatalf("duplicate key %s", keys[i])
		}
	}
}

func TestTheKeyClockNeverStepsBack(t *testing.T) {
	keyClock.Lock()
	saved, savedSequence := keyClock.lastMillis, keyClock.sequence
	keyClock.Unlock()
	t.Cleanup(func() {
		keyClock.Lock()
		keyClock.lastMillis, keyClock.sequence = saved, savedSequence
		keyClock.Unlock()
	})
	millis, sequence := nextKeyTick(1 << 44)
	backInTime, nextSequence := nextKeyTick(1000)
	if backInTime != millis || nextSequence != sequence+1 {
		t.Errorf("a clock stepping back keeps the last millisecond: %d/%d then %d/%d", millis, sequence, backInTime, nextSequence)
	}
	for i := 0; i < 0x1000; i++ {
		backInTime, nextSequence = nextKeyTick(1000)
	}
	if backInTime != millis+1 {
		t.Errorf("an exhausted sequence borrows the next millisecond: %d, want %d", backInTime, millis+1)
	}
}
