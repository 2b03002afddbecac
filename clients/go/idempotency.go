package kobometer

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// keyClock makes generated keys strictly increasing within this process,
// even for thousands of keys in one millisecond or a clock stepping back, so
// the server's key index receives them in order.
var keyClock struct {
	sync.Mutex
	lastMillis int64
	sequence   uint16 // 12 bits used
}

// NewIdempotencyKey returns a fresh key in the UUIDv7 layout (RFC 9562): 48
// bits of Unix milliseconds, a 12-bit sequence that keeps keys from one
// process in order, and 62 random bits from crypto/rand. Ingest calls it for
// every event whose IdempotencyKey is empty; call it yourself to know a key
// before sending, for example to store it with the work it records.
func NewIdempotencyKey() (string, error) {
	var random [8]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", fmt.Errorf("kobometer: generating an idempotency key: %w", err)
	}
	millis, sequence := nextKeyTick(time.Now().UnixMilli())
	var b [16]byte
	for i := 0; i < 6; i++ {
		b[i] = byte(millis >> (40 - 8*i))
	}
	b[6] = 0x70 | byte(sequence>>8) // version 7
	b[7] = byte(sequence)
	copy(b[8:], random[:])
	b[8] = 0x80 | (b[8] & 0x3f) // RFC 9562 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:]), nil
}

// nextKeyTick returns the millisecond and sequence for the next key: a new
// millisecond restarts the sequence; within the same (or an earlier) one the
// sequence counts up and, past 12 bits, borrows the next millisecond.
func nextKeyTick(now int64) (int64, uint16) {
	keyClock.Lock()
	defer keyClock.Unlock()
	if now > keyClock.lastMillis {
		keyClock.lastMillis = now
		keyClock.sequence = 0
	} else if keyClock.sequence++; keyClock.sequence > 0x0fff {
		keyClock.lastMillis++
		keyClock.sequence = 0
	}
	return keyClock.lastMillis, keyClock.sequence
}
