package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/importers"
	"blockplan/model"
	"blockplan/reports"
)

// portfoliosPage is the list of stored portfolios, with the forms to upload
// one and to start an empty one.
type portfoliosPage struct {
	Base
	Rows   []portfolioRowView
	Upload uploadView
	Create createView
}

type portfolioRowView struct {
	Info    model.PortfolioInfo
	URL     string
	Updated string
}

// uploadView is the outcome of an upload that was refused: the problems of
// the file, by sheet and row.
type uploadView struct {
	FileName string
	Message  string
	Groups   []sheetGroup
	Errors   int
	Warnings int
	Replace  bool
}

type createView struct {
	Name, ID, Country, Currency, StartYear string
	Errors                                 []string
}

func (s *Server) portfoliosPage(c *gin.Context) (*portfoliosPage, error) {
	infos, err := s.listInfos(c)
	if err != nil {
		return nil, err
	}
	lang := requestLang(c)
	p := &portfoliosPage{Base: s.newBase(c, s.msg.must(lang, "portfolios.title"), infos, nil)}
	p.Section = "portfolios"
	for _, in := range infos {
		p.Rows = append(p.Rows, portfolioRowView{Info: in, URL: u("portfolios", in.ID), Updated: reports.FormatDate(in.UpdatedAt, lang)})
	}
	return p, nil
}

func (s *Server) portfolioList(c *gin.Context) error {
	p, err := s.portfoliosPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "portfolios", p)
}

// createForm is the form that starts an empty portfolio.
type createForm struct {
	Name      string `form:"name"`
	ID        string `form:"id"`
	Country   string `form:"country"`
	Currency  string `form:"currency"`
	StartYear string `form:"start_year"`
}

func (s *Server) createPortfolio(c *gin.Context) error {
	var f createForm
	if err := c.ShouldBind(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	lang := requestLang(c)
	f.Name, f.ID = strings.TrimSpace(f.Name), strings.TrimSpace(f.ID)
	cv := createView{Name: f.Name, ID: f.ID, Country: f.Country, Currency: f.Currency, StartYear: f.StartYear}
	p := &model.Portfolio{Format: model.Format, ID: f.ID, Name: f.Name, Country: strings.ToUpper(strings.TrimSpace(f.Country)),
		Currency: strings.ToUpper(strings.TrimSpace(f.Currency))}
	if p.Name == "" {
		cv.Errors = append(cv.Errors, s.msg.must(lang, "create.need_name"))
	}
	if p.ID == "" {
		p.ID = model.Slug(p.Name)
	}
	if y := strings.TrimSpace(f.StartYear); y != "" {
		n, err := importers.ParseWhole(y)
		if err != nil {
			cv.Errors = append(cv.Errors, s.fieldName(lang, "start_year")+" : "+err.Error())
		} else {
			p.Settings.StartYear = &n
		}
	}
	if len(cv.Errors) == 0 {
		for _, pr := range model.Validate(p, s.cat).Errors() {
			cv.Errors = append(cv.Errors, joinWhere(s.problemWhere(lang, pr), s.problemText(lang, pr)))
		}
	}
	if len(cv.Errors) == 0 {
		_, err := s.store.SavePortfolio(c.Request.Context(), p, model.SaveOptions{})
		if model.ErrorCode(err) == model.ECONFLICT {
			cv.Errors = append(cv.Errors, s.msg.must(lang, "create.exists", p.ID))
		} else if err != nil {
			return err
		}
	}
	if len(cv.Errors) > 0 {
		page, err := s.portfoliosPage(c)
		if err != nil {
			return err
		}
		page.Create = cv
		return s.render(c, http.StatusUnprocessableEntity, "portfolios", page)
	}
	redirectDone(c, u("portfolios", p.ID), "created")
	return nil
}

// uploadForm is the upload form: a workbook, a zip of CSV files or a
// portfolio JSON file.
type uploadForm struct {
	File    *multipart.FileHeader `form:"file"`
	Replace bool                  `form:"replace"`
}

// importUpload reads an uploaded file into a portfolio with importers.Read:
// the import's problems (by sheet, row and column), or an EINVALID error
// for a file that cannot be read at all.
func (s *Server) importUpload(ctx context.Context, name string, data []byte, defaultID string) (*model.Portfolio, model.Problems, error) {
	p, ps, err := importers.Read(ctx, bytes.NewReader(data), int64(len(data)), name, importers.Options{Ref: s.cat})
	if err != nil {
		return nil, ps, err
	}
	if !ps.HasErrors() && p.ID == "" {
		p.ID = defaultID
		if p.ID == "" {
			p.ID = model.Slug(p.Name)
		}
		if p.ID == "" {
			ps = append(ps, model.Problem{Severity: model.SeverityError, Code: "missing-id", Field: "id",
				Message: "the portfolio has neither an id nor a name to make one from"})
		}
	}
	return p, ps, nil
}

func readUpload(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	if fh.Size > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

func (s *Server) upload(c *gin.Context) error {
	var f uploadForm
	if err := c.ShouldBind(&f); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return malformed(err.Error(), nil)
	}
	lang := requestLang(c)
	uv := uploadView{Replace: f.Replace}
	var p *model.Portfolio
	var ps model.Problems
	if f.File == nil {
		uv.Message = s.msg.must(lang, "upload.no_file")
	} else {
		uv.FileName = f.File.Filename
		data, err := readUpload(f.File, s.maxUpload)
		if err != nil {
			return err
		}
		var ierr error
		p, ps, ierr = s.importUpload(c.Request.Context(), f.File.Filename, data, "")
		if ierr != nil {
			if model.ErrorCode(ierr) != model.EINVALID {
				return ierr
			}
			uv.Message = model.ErrorMessage(ierr)
			ps = append(ps, model.ErrorDetails(ierr)...)
		}
	}
	if uv.Message == "" && !ps.HasErrors() {
		_, err := s.store.SavePortfolio(c.Request.Context(), p, model.SaveOptions{Replace: f.Replace})
		switch {
		case model.ErrorCode(err) == model.ECONFLICT:
			uv.Message = s.msg.must(lang, "upload.exists", p.ID)
		case err != nil:
			return err
		default:
			s.cache.forget(p.ID)
			redirectDone(c, u("portfolios", p.ID), "imported")
			return nil
		}
	}
	page, err := s.portfoliosPage(c)
	if err != nil {
		return err
	}
	uv.Groups = bySheet(ps)
	uv.Errors, uv.Warnings = len(ps.Errors()), len(ps.Warnings())
	if uv.Message == "" {
		uv.Message = s.msg.must(lang, "upload.refused", uv.Errors)
	}
	page.Upload = uv
	return s.render(c, http.StatusUnprocessableEntity, "portfolios", page)
}

// settingsForm edits a portfolio's own fields and appraisal settings. Rates
// are typed as percentages.
type settingsForm struct {
	Version      int    `form:"version"`
	Name         string `form:"name"`
	NameFR       string `form:"name_fr"`
	Country      string `form:"country"`
	Currency     string `form:"currency"`
	StartYear    string `form:"start_year"`
	HorizonYears string `form:"horizon_years"`
	DiscountRate string `form:"discount_rate"`
	OptimismBias string `form:"optimism_bias"`
}

// settingsPage is the settings form.
type settingsPage struct {
	Base
	PID      string
	Form     settingsForm
	Errors   map[string][]string
	Other    []string
	Conflict *settingsForm // the stored settings, when someone else changed the portfolio
	Cancel   string
	Action   string
}

func (s *Server) settingsValues(p *model.Portfolio, version int, lang string) settingsForm {
	f := settingsForm{Version: version, Name: p.Name, NameFR: p.NameFR, Country: p.Country, Currency: p.Currency}
	st := p.Settings
	if st.StartYear != nil {
		f.StartYear = strconv.Itoa(*st.StartYear)
	}
	if st.HorizonYears != nil {
		f.HorizonYears = strconv.Itoa(*st.HorizonYears)
	}
	if st.DiscountRate != nil {
		f.DiscountRate = percentInput(*st.DiscountRate, lang)
	}
	if st.OptimismBias != nil {
		f.OptimismBias = percentInput(*st.OptimismBias, lang)
	}
	return f
}

func (s *Server) settingsForm(c *gin.Context) error {
	raw, info, err := s.store.GetPortfolio(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &settingsPage{Base: s.newBase(c, s.msg.must(lang, "nav.settings")+" — "+info.Label(lang), infos, &info), PID: info.ID,
		Form: s.settingsValues(raw, info.Version, lang), Cancel: u("portfolios", info.ID), Action: u("portfolios", info.ID, "settings")}
	p.Section = "settings"
	return s.render(c, http.StatusOK, "settings", p)
}

func (s *Server) saveSettings(c *gin.Context) error {
	var f settingsForm
	if err := c.ShouldBind(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	ctx := c.Request.Context()
	lang := requestLang(c)
	raw, info, err := s.store.GetPortfolio(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	errs := map[string][]string{}
	next := *raw
	next.Name = strings.TrimSpace(f.Name)
	next.NameFR = strings.TrimSpace(f.NameFR)
	next.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	next.Currency = strings.ToUpper(strings.TrimSpace(f.Currency))
	next.Settings = model.Settings{}
	whole := func(field, v string) *int {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		n, err := importers.ParseWhole(v)
		if err != nil {
			errs[field] = append(errs[field], err.Error())
			return nil
		}
		return &n
	}
	pct := func(field, v string) *float64 {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		x, err := parsePercent(v)
		if err != nil {
			errs[field] = append(errs[field], err.Error())
			return nil
		}
		return &x
	}
	next.Settings.StartYear = whole("start_year", f.StartYear)
	next.Settings.HorizonYears = whole("horizon_years", f.HorizonYears)
	next.Settings.DiscountRate = pct("discount_rate", f.DiscountRate)
	next.Settings.OptimismBias = pct("optimism_bias", f.OptimismBias)
	if next.Name == "" {
		errs["name"] = append(errs["name"], s.msg.must(lang, "create.need_name"))
	}
	var other []string
	if len(errs) == 0 {
		_, before := model.Resolve(raw, s.cat)
		_, after := model.Resolve(&next, s.cat)
		for _, pr := range newErrors(before, after) {
			if pr.Kind == "settings" && pr.Field != "" {
				errs[pr.Field] = append(errs[pr.Field], s.problemText(lang, pr))
			} else {
				other = append(other, joinWhere(s.problemWhere(lang, pr), s.problemText(lang, pr)))
			}
		}
	}
	status := http.StatusUnprocessableEntity
	var conflict *settingsForm
	if len(errs) == 0 && len(other) == 0 {
		_, err := s.store.SavePortfolio(ctx, &next, model.SaveOptions{Replace: true, ExpectVersion: f.Version})
		if err == nil {
			redirectDone(c, u("portfolios", info.ID), "saved")
			return nil
		}
		if model.ErrorCode(err) != model.ECONFLICT {
			return err
		}
		status = http.StatusConflict
		cur := s.settingsValues(raw, info.Version, lang)
		conflict = &cur
		f.Version = info.Version
		other = append(other, s.msg.must(lang, "conflict.portfolio"))
	}
	infos, err := s.listInfos(c)
	if err != nil {
		return err
	}
	p := &settingsPage{Base: s.newBase(c, s.msg.must(lang, "nav.settings")+" — "+info.Label(lang), infos, &info), PID: info.ID,
		Form: f, Errors: errs, Other: other, Conflict: conflict, Cancel: u("portfolios", info.ID), Action: u("portfolios", info.ID, "settings")}
	p.Section = "settings"
	return s.render(c, status, "settings", p)
}

// confirmPage asks before deleting a portfolio or an entity.
type confirmPage struct {
	Base
	Heading   string
	Message   string
	Items     []nodeView // what else the deletion changes
	More      int
	Action    string
	Cancel    string
	Version   int
	NoteKey   string
	ButtonKey string
}

func (s *Server) confirmDeletePortfolio(c *gin.Context) error {
	info, infos, err := s.portfolioInfo(c.Request.Context(), c.Param("id"))
	if err != nil {
		return err
	}
	lang := requestLang(c)
	p := &confirmPage{Base: s.newBase(c, s.msg.must(lang, "delete.portfolio.title", info.Label(lang)), infos, &info),
		Heading: s.msg.must(lang, "delete.portfolio.title", info.Label(lang)),
		Message: s.msg.must(lang, "delete.portfolio.message", info.Programmes, info.Blocks),
		Action:  u("portfolios", info.ID, "delete"), Cancel: u("portfolios", info.ID), Version: info.Version,
		ButtonKey: "delete.portfolio.button"}
	return s.render(c, http.StatusOK, "confirm", p)
}

func (s *Server) deletePortfolio(c *gin.Context) error {
	id := c.Param("id")
	if err := s.store.DeletePortfolio(c.Request.Context(), id); err != nil {
		return err
	}
	s.cache.forget(id)
	redirectDone(c, "/portfolios", "deleted")
	return nil
}
