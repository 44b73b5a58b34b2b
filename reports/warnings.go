package reports

import (
	"regexp"

	"blockplan/model"
)

// linkedBlock reads the block of an untraced-block-link warning from the
// model's English message: model.Warning names one entity (the programme),
// and the sentence is clearer with the block too. When the message does not
// have the model's form the sentence leaves the block out.
var linkedBlock = regexp.MustCompile(`is linked to block (\S+) directly`)

// WarningText is a validation warning as a full sentence in lang ("en" or
// "fr"), with the id of the entity it is about: "Le programme EDU-DIST a
// commencé avant le plan : ses coûts ponctuels sont irrécouvrables et ne
// sont pas comptés." A code the table does not know, or a warning that names
// no entity, gives the model's English message. The web app uses it too, so
// that pages and reports say the same.
func WarningText(w model.Warning, lang string) string {
	lang, _ = NormalizeLang(lang)
	key := "wt_" + w.Code
	if _, ok := labels[key]; !ok || w.ID == "" {
		return w.Message
	}
	if w.Code == "untraced-block-link" {
		if m := linkedBlock.FindStringSubmatch(w.Message); m != nil {
			return Labelf(lang, key, w.ID, m[1])
		}
		return Labelf(lang, key+"-any", w.ID)
	}
	return Labelf(lang, key, w.ID)
}
