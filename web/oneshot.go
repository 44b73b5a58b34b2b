package web

import (
	"sync"
	"time"
)

// shownOnce keeps, per signed-in session, something the page after a POST
// must show exactly once: a new API token between the POST that makes it and
// the GET it is redirected to (POST/redirect/GET, so that reloading the page
// does not make another token). It is held in memory, not in a URL, where
// the request log and the browser's history would keep it, and for a short
// while only: a redirect that is never followed leaves nothing behind for
// long.
type shownOnce[T any] struct {
	mu    sync.Mutex
	ttl   time.Duration
	items map[string]shownOnceItem[T]
}

type shownOnceItem[T any] struct {
	v       T
	expires time.Time
}

func newShownOnce[T any](ttl time.Duration) *shownOnce[T] {
	return &shownOnce[T]{ttl: ttl, items: map[string]shownOnceItem[T]{}}
}

// put keeps v for session key, replacing what was kept for it.
func (o *shownOnce[T]) put(key string, v T) {
	now := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, it := range o.items {
		if now.After(it.expires) {
			delete(o.items, k)
		}
	}
	o.items[key] = shownOnceItem[T]{v: v, expires: now.Add(o.ttl)}
}

// take returns what was kept for session key and forgets it.
func (o *shownOnce[T]) take(key string) (T, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	it, ok := o.items[key]
	delete(o.items, key)
	if !ok || time.Now().After(it.expires) {
		var zero T
		return zero, false
	}
	return it.v, true
}
