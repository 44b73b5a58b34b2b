package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"blockplan/importers"
	"blockplan/model"
	"blockplan/reports"
)

// reportFile is one downloadable report: a file name and its writer.
type reportFile struct {
	File  string // the last path segment: /portfolios/:id/reports/<File>
	Key   string // message key of its name
	CType string
	Write func(io.Writer, reports.Input) error
}

// downloadsPage lists what can be downloaded for a portfolio.
type downloadsPage struct {
	Base
	PID     string
	Valid   bool
	Reports []downloadLink
	Exports []downloadLink
	Blank   []downloadLink
}

type downloadLink struct {
	URL, Key, Help string
}

func (s *Server) downloadsPage(c *gin.Context) error {
	sn, infos, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &downloadsPage{Base: s.portfolioBase(c, sn, infos, s.msg.must(lang, "nav.downloads")+" — "+sn.Info.Label(lang), "downloads"),
		PID: sn.Info.ID, Valid: sn.Valid()}
	for _, r := range reportFiles() {
		p.Reports = append(p.Reports, downloadLink{URL: u("portfolios", sn.Info.ID, "reports", r.File) + "?lang=" + lang,
			Key: r.Key, Help: r.Key + ".help"})
	}
	p.Exports = []downloadLink{
		{URL: u("portfolios", sn.Info.ID, "export.json"), Key: "download.json", Help: "download.json.help"},
		{URL: u("portfolios", sn.Info.ID, "export.xlsx") + "?lang=" + lang, Key: "download.workbook", Help: "download.workbook.help"},
	}
	p.Blank = []downloadLink{
		{URL: "/template.xlsx?lang=en", Key: "download.template_en", Help: "download.template.help"},
		{URL: "/template.xlsx?lang=fr", Key: "download.template_fr", Help: "download.template.help"},
	}
	return s.render(c, http.StatusOK, "downloads", p)
}

// attach writes a finished file as a download.
func attach(c *gin.Context, name, ctype string, data []byte) {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	c.Data(http.StatusOK, ctype, data)
}

func (s *Server) exportJSON(c *gin.Context) error {
	sn, _, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := model.EncodePortfolio(&buf, sn.Raw); err != nil {
		return err
	}
	attach(c, sn.Info.ID+".json", "application/json; charset=utf-8", buf.Bytes())
	return nil
}

func (s *Server) exportWorkbook(c *gin.Context) error {
	sn, _, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := importers.WriteWorkbook(&buf, sn.Raw, requestLang(c)); err != nil {
		return err
	}
	attach(c, sn.Info.ID+".xlsx", xlsxType, buf.Bytes())
	return nil
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) downloadTemplate(c *gin.Context) error {
	var buf bytes.Buffer
	lang := requestLang(c)
	if err := importers.WriteTemplate(&buf, lang, s.cat); err != nil {
		return err
	}
	name := "blockplan-template.xlsx"
	if lang == "fr" {
		name = "blockplan-modele.xlsx"
	}
	attach(c, name, xlsxType, buf.Bytes())
	return nil
}

// reportInput is a portfolio's report input: its own settings, with Monte
// Carlo and tornado when amounts have ranges.
func (s *Server) reportInput(sn *snapshot, lang string) (reports.Input, error) {
	sc := scenario{}
	if sn.hasRanges {
		sc.MonteCarlo, sc.Seed = model.DefaultIterations, model.DefaultSeed
	}
	r, err := s.compute(sn, sc)
	if err != nil {
		return reports.Input{}, err
	}
	return reports.Input{Portfolio: sn.Resolved, Result: r.Result, Lang: lang, Generated: time.Now()}, nil
}

func (s *Server) downloadReport(c *gin.Context) error {
	sn, _, err := s.portfolioSnapshot(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	name := c.Param("file")
	for _, r := range reportFiles() {
		if r.File != name {
			continue
		}
		in, err := s.reportInput(sn, lang)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := r.Write(&buf, in); err != nil {
			return err
		}
		attach(c, sn.Info.ID+"-"+r.File, r.CType, buf.Bytes())
		return nil
	}
	return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_page"))
}
