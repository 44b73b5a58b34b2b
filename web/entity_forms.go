package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// formPage is the form that creates or edits one entity.
type formPage struct {
	Base
	PID      string
	Kind     string
	Heading  string
	Action   string
	Cancel   string
	Version  int
	Fields   []formField
	Other    []string // problems that name no field of the form
	Conflict string   // someone else changed (or deleted) the entity
	IsNew    bool
	Catalog  bool // the entity's id is a catalogue entry it overrides
}

// entityEnvelope is the part of every entity form that is not the entity:
// the version the edit is based on.
type entityEnvelope struct {
	Version int `form:"version"`
}

func (s *Server) entityNewForm(k kindInfo) handler {
	return func(c *gin.Context) error {
		sn, infos, err := s.portfolioSnapshot(c)
		if err != nil {
			return err
		}
		return s.renderForm(c, http.StatusOK, sn, infos, k, "", 0, url.Values{}, nil, nil, "")
	}
}

func (s *Server) entityEditForm(k kindInfo) handler {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		id := c.Param("eid")
		sn, versions, err := s.freshSnapshot(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		e := resolvedEntity(sn, k.Kind, id)
		if e == nil {
			lang := requestLang(c)
			return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_entity", s.msg.must(lang, "kind."+k.Kind), id))
		}
		infos, err := s.listInfos(c)
		if err != nil {
			return err
		}
		version := versions[model.EntityKey{Kind: k.Kind, ID: id}]
		return s.renderForm(c, http.StatusOK, sn, infos, k, id, version, entityValues(k.Kind, e, requestLang(c)), nil, nil, "")
	}
}

// renderForm draws the form of kind k: a new entity when id is "", else the
// edit of id at version. After a conflict, current holds the stored values
// and conflict the notice.
func (s *Server) renderForm(c *gin.Context, status int, sn *snapshot, infos []model.PortfolioInfo, k kindInfo, id string, version int,
	vals url.Values, ps model.Problems, current url.Values, conflict string) error {
	lang := requestLang(c)
	kindName := s.msg.must(lang, "kind."+k.Kind)
	p := &formPage{PID: sn.Info.ID, Kind: k.Kind, Version: version, IsNew: id == "", Conflict: conflict,
		Catalog: id != "" && s.inCatalog(k.Kind, id)}
	if p.IsNew {
		p.Heading = s.msg.must(lang, "form.new", kindName)
		p.Action = u("portfolios", sn.Info.ID, k.Segment)
		p.Cancel = u("portfolios", sn.Info.ID, k.Segment)
	} else {
		p.Heading = s.msg.must(lang, "form.edit", kindName, id)
		p.Action = u("portfolios", sn.Info.ID, k.Segment, id)
		p.Cancel = entityURL(sn.Info.ID, k.Kind, id)
	}
	p.Fields, p.Other = s.fieldsView(sn, k.Kind, vals, ps, current, lang, p.Catalog)
	p.Base = s.portfolioBase(c, sn, infos, p.Heading, k.Kind)
	return s.render(c, status, "form", p)
}

func (s *Server) entityCreate(k kindInfo) handler {
	return func(c *gin.Context) error { return s.entitySubmit(c, k, "") }
}

func (s *Server) entityUpdate(k kindInfo) handler {
	return func(c *gin.Context) error { return s.entitySubmit(c, k, c.Param("eid")) }
}

// entitySubmit handles a create (oldID "") or an edit: read the form, let
// saveEntity validate and store, and on a problem draw the form again with
// the messages next to their fields (422), or with the stored values after
// a conflict (409).
func (s *Server) entitySubmit(c *gin.Context, k kindInfo, oldID string) error {
	var env entityEnvelope
	if err := c.ShouldBind(&env); err != nil {
		return malformed(err.Error(), nil)
	}
	ctx := c.Request.Context()
	lang := requestLang(c)
	vals := c.Request.PostForm
	pid := c.Param("id")
	e, ps := s.valuesEntity(k.Kind, vals, lang)
	var err error
	newID := ""
	if len(ps) == 0 {
		newID, _, err = s.saveEntity(ctx, entityEdit{Portfolio: pid, Kind: k.Kind, OldID: oldID, Entity: e, Version: env.Version})
		if err == nil {
			redirectDone(c, entityURL(pid, k.Kind, newID), "saved")
			return nil
		}
	}
	status := http.StatusUnprocessableEntity
	var current url.Values
	conflict := ""
	var ce *conflictError
	switch {
	case err == nil:
	case errors.As(err, &ce):
		status = http.StatusConflict
		if ce.Current != nil {
			cur, derr := decodeEntity(k.Kind, ce.Current.Data)
			if derr == nil {
				current = entityValues(k.Kind, cur, lang)
			}
			env.Version = ce.Current.Version
			conflict = s.msg.must(lang, "conflict.changed")
		} else {
			env.Version = 0
			conflict = s.msg.must(lang, "conflict.deleted")
		}
	case model.ErrorCode(err) == model.EINVALID:
		ps = model.ErrorDetails(err)
	default:
		return err
	}
	sn, infos, err := s.snapshot(ctx, pid)
	if err != nil {
		return err
	}
	return s.renderForm(c, status, sn, infos, k, oldID, env.Version, vals, ps, current, conflict)
}

func (s *Server) entityConfirmDelete(k kindInfo) handler {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		id := c.Param("eid")
		lang := requestLang(c)
		sn, versions, err := s.freshSnapshot(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if rawEntity(sn.Raw, sn.rawIndex, k.Kind, id) == nil {
			return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(lang, "error.no_entity", s.msg.must(lang, "kind."+k.Kind), id))
		}
		infos, err := s.listInfos(c)
		if err != nil {
			return err
		}
		kindName := s.msg.must(lang, "kind."+k.Kind)
		name := s.label(sn, lang, k.Kind, id)
		p := &confirmPage{Heading: s.msg.must(lang, "delete.entity.title", kindName, name),
			Action: u("portfolios", sn.Info.ID, k.Segment, id, "delete"), Cancel: entityURL(sn.Info.ID, k.Kind, id),
			Version: versions[model.EntityKey{Kind: k.Kind, ID: id}], ButtonKey: "delete.entity.button"}
		if s.inCatalog(k.Kind, id) {
			p.NoteKey = "delete.entity.catalog"
		} else {
			for _, r := range referrersOf(sn.Raw, k.Kind, id) {
				if len(p.Items) >= maxTraceNodes {
					p.More++
					continue
				}
				p.Items = append(p.Items, s.node(sn, lang, r.Kind, r.ID))
			}
			if len(p.Items) > 0 {
				p.Message = s.msg.must(lang, "delete.entity.refs")
			}
		}
		p.Base = s.portfolioBase(c, sn, infos, p.Heading, k.Kind)
		return s.render(c, http.StatusOK, "confirm", p)
	}
}

func (s *Server) entityDelete(k kindInfo) handler {
	return func(c *gin.Context) error {
		var env entityEnvelope
		if err := c.ShouldBind(&env); err != nil {
			return malformed(err.Error(), nil)
		}
		pid, id := c.Param("id"), c.Param("eid")
		if _, _, err := s.saveEntity(c.Request.Context(), entityEdit{Portfolio: pid, Kind: k.Kind, OldID: id, Version: env.Version}); err != nil {
			return err
		}
		redirectDone(c, u("portfolios", pid, k.Segment), "deleted")
		return nil
	}
}
