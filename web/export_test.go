package web

// DisablePageCache makes s render every page afresh, so that a benchmark can
// measure the work the page cache saves.
func DisablePageCache(s *Server) { s.rendered = newPageCache(0) }

// WithoutCharts makes s behave as a binary built without the ECharts bundle.
func WithoutCharts(s *Server) { delete(s.static, echartsURLPath) }
