package importers

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"blockplan/catalog"
)

var instructionsEN = []string{
	"How to fill in this workbook",
	"One sheet per kind of thing: Settings, Agencies, Goals, Programmes, UseCases, Workflows, Blocks. Row 1 holds the column headers: keep them (English or French headers are both read; case, accents and spaces do not matter). One row per item below.",
	"Row 2 of each sheet is an example: its id starts with \"e.g.\" and it is not imported. Overwrite it or delete it.",
	"Ids are short and unique within a sheet: letters, digits, - and _ (no ; or ,). Where another sheet's item is expected you may write its id or its name; the built-in catalogue's building blocks, workflows and use cases can be named by id, English or French name, or a known alias (\"Identity\" for identification_and_authentication). Case, accents and punctuation do not matter.",
	"Lists (goals, use_cases, workflows, blocks, sdg_targets): separate the items with ; (a , works too). The drop-down lists offer the catalogue's ids and names; you may type any other value.",
	"Numbers: 1234.5, 1 234,5 and 1,234.5 are all read. 1,234 is refused because it is ambiguous (thousands or decimals?): write 1234 or 1.234. Rates in Settings: 0.035 or 3.5 %.",
	"Amounts are in the currency named in Settings. A certain amount goes in the main column (build_cost). An uncertain one is a range: fill the three columns build_cost_low, build_cost (most likely) and build_cost_high.",
	"An empty cell is a value not given: the default applies (see the cost model), and an item whose id is in the catalogue inherits the catalogue's name, description and links. A block with only its costs filled in is enough.",
	"SDG targets are the UN codes: 3.2, 17.19, 1.a. Keep these cells as text (they are formatted so) or 3.10 would become 3.1.",
	"Import: blockplan import FILE.xlsx (add --dry-run to check without saving). Every problem is listed with its sheet, row and column.",
}

var instructionsFR = []string{
	"Comment remplir ce classeur",
	"Une feuille par type d'élément : Paramètres, Agences, Objectifs, Programmes, Cas d'usage, Flux de travail, Blocs. La ligne 1 porte les en-têtes de colonnes : conservez-les (les en-têtes anglais ou français sont lus ; casse, accents et espaces n'importent pas). Un élément par ligne en dessous.",
	"La ligne 2 de chaque feuille est un exemple : son identifiant commence par « ex. » et elle n'est pas importée. Remplacez-la ou supprimez-la.",
	"Les identifiants sont courts et uniques dans une feuille : lettres, chiffres, - et _ (ni ; ni ,). Là où un élément d'une autre feuille est attendu, écrivez son identifiant ou son nom ; les blocs, flux de travail et cas d'usage du catalogue intégré se désignent par identifiant, nom anglais ou français, ou alias connu (« Identity » pour identification_and_authentication). Casse, accents et ponctuation n'importent pas.",
	"Listes (objectifs, cas d'usage, flux, blocs, cibles ODD) : séparez les éléments par ; (la , est acceptée). Les listes déroulantes proposent les identifiants et noms du catalogue ; toute autre valeur peut être saisie.",
	"Nombres : 1234,5, 1 234,5 et 1,234.5 sont lus. 1,234 est refusé car ambigu (milliers ou décimales ?) : écrivez 1234 ou 1.234. Taux dans Paramètres : 0,035 ou 3,5 %.",
	"Les montants sont dans la devise indiquée dans Paramètres. Un montant certain va dans la colonne principale (Coût de construction). Un montant incertain est une fourchette : remplissez les trois colonnes (bas), principale (le plus probable) et (haut).",
	"Une cellule vide est une valeur non renseignée : la valeur par défaut s'applique, et un élément dont l'identifiant est au catalogue en hérite le nom, la description et les liens. Pour un bloc du catalogue, ses coûts suffisent.",
	"Les cibles ODD s'écrivent avec les codes de l'ONU : 3.2, 17.19, 1.a. Gardez ces cellules au format texte (elles le sont), sinon 3.10 deviendrait 3.1.",
	"Import : blockplan import FICHIER.xlsx (avec --dry-run pour vérifier sans enregistrer). Chaque problème est signalé avec sa feuille, sa ligne et sa colonne.",
}

func writeInstructions(f *excelize.File, sheet, lang string, st styles) error {
	text := instructionsEN
	colTitle, helpTitle := "Column", "What it holds"
	if lang == "fr" {
		text = instructionsFR
		colTitle, helpTitle = "Colonne", "Contenu"
	}
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheet, cell, cell, style)
	}
	f.SetColWidth(sheet, "A", "A", 34)
	f.SetColWidth(sheet, "B", "B", 110)
	r := 1
	if err := set("A1", text[0], st.title); err != nil {
		return err
	}
	r = 3
	for _, line := range text[1:] {
		if err := f.MergeCell(sheet, fmt.Sprintf("A%d", r), fmt.Sprintf("B%d", r)); err != nil {
			return err
		}
		if err := set(fmt.Sprintf("A%d", r), line, st.wrap); err != nil {
			return err
		}
		f.SetRowHeight(sheet, r, 15*float64(1+len([]rune(line))/130))
		r++
	}
	for _, def := range sheets {
		r++
		if err := set(fmt.Sprintf("A%d", r), def.title(lang), st.title); err != nil {
			return err
		}
		r++
		if err := set(fmt.Sprintf("A%d", r), colTitle, st.bold); err != nil {
			return err
		}
		if err := set(fmt.Sprintf("B%d", r), helpTitle, st.bold); err != nil {
			return err
		}
		r++
		if def == settingsDef {
			for _, s := range settingsRows {
				help := s.help
				if lang == "fr" {
					help = s.helpFR
				}
				set(fmt.Sprintf("A%d", r), settingLabel(s, lang), st.wrap)
				set(fmt.Sprintf("B%d", r), help, st.wrap)
				r++
			}
			continue
		}
		for _, c := range def.cols {
			set(fmt.Sprintf("A%d", r), c.header(lang), st.wrap)
			set(fmt.Sprintf("B%d", r), c.helpIn(lang), st.wrap)
			r++
		}
	}
	return nil
}

// exampleRows are the template's example rows, keyed by kind and English
// header, built from real catalogue entries so that they would import.
func exampleRows(ref *catalog.Catalog, lang string) map[string]map[string]any {
	mark := "e.g. "
	if lang == "fr" {
		mark = "ex. "
	}
	first := func(ids []string, i int) string {
		if i < len(ids) {
			return ids[i]
		}
		return ""
	}
	var blocks, blockNames, workflows, workflowNames, useCases []string
	for _, b := range ref.Blocks() {
		blocks, blockNames = append(blocks, b.ID), append(blockNames, b.Name.In(lang))
	}
	for _, w := range ref.Workflows() {
		workflows, workflowNames = append(workflows, w.ID), append(workflowNames, w.Name.In(lang))
	}
	for _, u := range ref.UseCases() {
		useCases = append(useCases, u.ID)
	}
	pick := func(en, fr string) string {
		if lang == "fr" {
			return fr
		}
		return en
	}
	return map[string]map[string]any{
		"agency": {"id": mark + "moh", "name": "Ministry of Health", "name_fr": "Ministère de la Santé"},
		"goal": {"id": mark + "NG1", "name": "Reduce neonatal mortality", "name_fr": "Réduire la mortalité néonatale",
			"sdg_targets": "3.1; 3.2", "priority": 1},
		"programme": {"id": mark + "P1", "name": "Mother and child follow-up", "name_fr": "Suivi mère-enfant", "agency": "moh",
			"goals": "NG1", "use_cases": first(useCases, 3) + "; UC1", "start_year": 2026, "end_year": 2030, "beneficiaries": 250000,
			"own_build_cost": 300000, "own_annual_cost": 50000,
			"annual_benefit_low": 100000, "annual_benefit": 180000, "annual_benefit_high": 250000, "benefit_start_year": 2027},
		"use_case": {"id": mark + "UC1", "name": "Community health worker visits", "name_fr": "Visites des agents de santé communautaires",
			"sector": pick("Health", "Santé"), "sdg_targets": "3.8",
			"workflows": first(workflowNames, 1) + "; " + first(workflowNames, 8)},
		"workflow": {"id": mark + "WF1", "name": "Vaccination reminders", "name_fr": "Rappels de vaccination",
			"blocks": first(blockNames, 13) + "; " + first(blocks, 18)},
		"block": {"id": mark + first(blocks, 15), "status": "planned",
			"build_cost_low": 100000, "build_cost": 120000, "build_cost_high": 150000,
			"annual_run_cost": 30000, "integration_cost": 15000, "per_consumer_run_cost": 2000},
	}
}
