package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/reports/assets"
)

//go:embed static
var staticFiles embed.FS

// staticFile is one embedded file, served with a long cache: its URL carries
// a hash of its content (?v=…), so a new build gets new URLs.
type staticFile struct {
	name  string
	data  []byte
	ctype string
	hash  string
	url   string
}

// echartsURLPath is where the ECharts bundle from reports/assets is served.
const echartsURLPath = "/static/vendor/" + assets.EChartsFile

// loadStatic reads web/static/* and, when the binary has it, the ECharts
// bundle.
func loadStatic() (map[string]staticFile, error) {
	out := map[string]staticFile{}
	add := func(urlPath string, data []byte) {
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:6])
		ct := mime.TypeByExtension(path.Ext(urlPath))
		switch path.Ext(urlPath) {
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		out[urlPath] = staticFile{name: path.Base(urlPath), data: data, ctype: ct, hash: h, url: urlPath + "?v=" + h}
	}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		add("/"+p, data)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	if js, ok := assets.ECharts(); ok {
		add(echartsURLPath, js)
	}
	return out, nil
}

// chartsAvailable reports whether the binary embeds ECharts.
func (s *Server) chartsAvailable() bool {
	_, ok := s.static[echartsURLPath]
	return ok
}

// staticURL is the cache-busting URL of a static file.
func (s *Server) staticURL(p string) string {
	if f, ok := s.static[p]; ok {
		return f.url
	}
	return p
}

func (s *Server) serveStatic(c *gin.Context) error {
	f, ok := s.static[c.Request.URL.Path]
	if !ok {
		return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(requestLang(c), "error.no_page"))
	}
	h := c.Writer.Header()
	if c.Query("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("ETag", `"`+f.hash+`"`)
	if c.GetHeader("If-None-Match") == `"`+f.hash+`"` {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.Data(http.StatusOK, f.ctype, f.data)
	return nil
}
