package kobometer

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"time"
)

// backoff is the wait before retry number attempt (from 0): a uniformly
// random duration below min(backoffMax, backoffBase*2^attempt). Full jitter
// spreads clients that failed together so they do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.backoffMax
	if attempt < 32 {
		if grown := c.backoffBase << uint(attempt); grown > 0 && grown < ceiling {
			ceiling = grown
		}
	}
	var buf [8]byte
	if _, err := rand.Read(buf[:]); err != nil {
		return ceiling
	}
	return time.Duration(binary.BigEndian.Uint64(buf[:]) % uint64(ceiling))
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
