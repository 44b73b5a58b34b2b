package web

import (
	"bytes"
	"container/list"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// Read pages are rendered once per portfolio version: a page is a pure
// function of the request's URL, language and user, and of the stored
// portfolios (their versions and names, which the top bar lists). Every
// request still reads the portfolio list, one small query, and so sees a
// new version at once; only the work of building and rendering the page is
// saved. Routes opt in (s.cached). The CSRF token in a page's forms (the
// top bar's sign-out, at least) is the session's: a cacheable page is
// rendered with s.csrfSlot in its place, and each answer puts the request's
// own token there.

// pageCacheBytes bounds the memory of cached pages.
const pageCacheBytes = 64 << 20

type pageCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List
	items map[string]*list.Element
}

type cachedPage struct {
	key    string
	status int
	body   []byte
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (pc *pageCache) get(key string) (*cachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.items[key]; ok {
		pc.order.MoveToFront(e)
		return e.Value.(*cachedPage), true
	}
	return nil, false
}

func (pc *pageCache) put(p *cachedPage) {
	if len(p.body) > pc.max/8 {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.items[p.key]; ok {
		pc.size -= len(e.Value.(*cachedPage).body)
		pc.order.Remove(e)
	}
	pc.items[p.key] = pc.order.PushFront(p)
	pc.size += len(p.body)
	for pc.size > pc.max {
		last := pc.order.Back()
		old := last.Value.(*cachedPage)
		pc.order.Remove(last)
		delete(pc.items, old.key)
		pc.size -= len(old.body)
	}
}

const (
	infosKey     = "blockplan.infos"
	pageCacheKey = "blockplan.pagekey"
)

// listInfos is the list of stored portfolios, read once per request.
func (s *Server) listInfos(c *gin.Context) ([]model.PortfolioInfo, error) {
	if v, ok := c.Get(infosKey); ok {
		return v.([]model.PortfolioInfo), nil
	}
	infos, err := s.store.ListPortfolios(c.Request.Context())
	if err != nil {
		return nil, err
	}
	c.Set(infosKey, infos)
	return infos, nil
}

// pageKey is what a cacheable page depends on.
func (s *Server) pageKey(c *gin.Context, infos []model.PortfolioInfo) string {
	h := fnv.New64a()
	for _, in := range infos {
		h.Write([]byte(in.ID))
		h.Write([]byte{0})
		h.Write([]byte(in.Name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(in.Version)))
		h.Write([]byte(in.CreatedAt.String()))
		h.Write([]byte{0})
	}
	user, role := "", ""
	if u := currentUser(c); u != nil {
		user, role = u.ID, u.Role.String()
	}
	return c.Request.URL.RequestURI() + "\x00" + requestLang(c) + "\x00" + user + "\x00" + role + "\x00" +
		strconv.FormatUint(h.Sum64(), 16)
}

// cached serves a cacheable page from the cache, or runs the handler and
// lets render keep what it writes.
func (s *Server) cached(h handler) handler {
	return func(c *gin.Context) error {
		infos, err := s.listInfos(c)
		if err != nil {
			return err
		}
		key := s.pageKey(c, infos)
		if p, ok := s.rendered.get(key); ok {
			c.Data(p.status, "text/html; charset=utf-8", s.fillCSRF(c, p.body))
			return nil
		}
		c.Set(pageCacheKey, key)
		return h(c)
	}
}

// cacheable reports whether the request's page may be kept: its route is
// cached and it missed.
func cacheable(c *gin.Context) bool {
	_, ok := c.Get(pageCacheKey)
	return ok
}

// keepPage stores a page render wrote, when its route is cacheable. The page
// holds s.csrfSlot where the CSRF token goes.
func (s *Server) keepPage(c *gin.Context, status int, body []byte) {
	v, ok := c.Get(pageCacheKey)
	if !ok || status != http.StatusOK {
		return
	}
	s.rendered.put(&cachedPage{key: v.(string), status: status, body: bytes.Clone(body)})
}

// fillCSRF is a cacheable page with the request's CSRF token in its slot.
// The slot is random per process, so no user text can hold it.
func (s *Server) fillCSRF(c *gin.Context, body []byte) []byte {
	return bytes.ReplaceAll(body, s.csrfSlot, []byte(s.csrfToken(c)))
}

// formToken is what a page puts in its forms: the slot when the page may be
// cached, else the request's token.
func (s *Server) formToken(c *gin.Context) string {
	if cacheable(c) {
		return string(s.csrfSlot)
	}
	return s.csrfToken(c)
}
