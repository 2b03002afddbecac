package kobometer

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// liveProxy forwards everything to upstream and counts requests. With
// dropFirstIngest, the first POST /v1/events is forwarded and answered by the
// server, and then the client's connection is closed without that answer: the
// events are stored but the client cannot know it.
type liveProxy struct {
	*httptest.Server
	dropped  atomic.Bool
	requests atomic.Int64
	mu       sync.Mutex
	status   int
	answer   []byte
}

// lostAnswer is what the server answered to the request whose answer was dropped.
func (p *liveProxy) lostAnswer() (int, []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status, p.answer
}

func newProxy(t *testing.T, upstream *url.URL, dropFirstIngest bool) *liveProxy {
	t.Helper()
	proxy := &liveProxy{}
	proxy.dropped.Store(!dropFirstIngest)
	forward := httputil.NewSingleHostReverseProxy(upstream)
	proxy.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.requests.Add(1)
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/v1/events") || !proxy.dropped.CompareAndSwap(false, true) {
			forward.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("proxy: reading the request: %v", err)
			return
		}
		target := *upstream
		target.Path = strings.TrimRight(upstream.Path, "/") + r.URL.Path
		outgoing, _ := http.NewRequest(r.Method, target.String(), bytes.NewReader(body))
		outgoing.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(outgoing)
		if err != nil {
			t.Errorf("proxy: forwarding: %v", err)
			return
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		proxy.mu.Lock()
		proxy.status, proxy.answer = resp.StatusCode, answer
		proxy.mu.Unlock()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(proxy.Close)
	return proxy
}

// live is where the live tests run: set KOBOMETER_URL and KOBOMETER_API_KEY
// (a key with events:write and usage:read, on a server with a count meter
// named KOBOMETER_METER, default "api_call", over events named "api_call").
// KOBOMETER_CUSTOMER picks a customer without a subscription (default: a
// fresh one); KOBOMETER_KEYS_OUT, if set, receives the JSON list of
// idempotency keys the server stored.
type live struct {
	baseURL, apiKey, customer, meter string
	upstream                         *url.URL
}

func liveSettings(t *testing.T) live {
	t.Helper()
	settings := live{baseURL: os.Getenv("KOBOMETER_URL"), apiKey: os.Getenv("KOBOMETER_API_KEY")}
	if settings.baseURL == "" || settings.apiKey == "" {
		t.Skip("set KOBOMETER_URL and KOBOMETER_API_KEY to run against a server")
	}
	upstream, err := url.Parse(settings.baseURL)
	if err != nil {
		t.Fatal(err)
	}
	settings.upstream = upstream
	settings.customer = os.Getenv("KOBOMETER_CUSTOMER")
	if settings.customer == "" {
		var random [6]byte
		_, _ = rand.Read(random[:])
		settings.customer = "cus_go_" + hex.EncodeToString(random[:])
	}
	settings.meter = os.Getenv("KOBOMETER_METER")
	if settings.meter == "" {
		settings.meter = "api_call"
	}
	return settings
}
