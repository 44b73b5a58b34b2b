package reports

import (
	"fmt"
	"sort"
)

// labels is the one translation table of the reports (and of the web pages
// that reuse them): every word a reader sees, in English and French.
// TestLabelsComplete checks that every key has both languages and that every
// key the package uses is here.
var labels = map[string][2]string{
	// Document
	"report_title":    {"Building-block reuse: savings and investment appraisal", "Réutilisation des blocs de construction : économies et évaluation de l'investissement"},
	"report_short":    {"Building-block savings report", "Rapport sur les économies des blocs"},
	"report_intro":    {"This report compares two ways of equipping the programmes of the portfolio with ICT building blocks: each programme building and running its own copy (siloed), or one shared instance per block that every programme integrates with (shared). All amounts are present values over the plan, computed by blockplan's cost model with the settings below.", "Ce rapport compare deux manières de doter les programmes du portefeuille de blocs de construction TIC : chaque programme construit et exploite sa propre instance (en silo), ou une instance partagée par bloc à laquelle chaque programme s'intègre (partagé). Tous les montants sont des valeurs actuelles sur la durée du plan, calculées par le modèle de coûts de blockplan avec les paramètres ci-dessous."},
	"portfolio":       {"Portfolio", "Portefeuille"},
	"country":         {"Country", "Pays"},
	"currency":        {"Currency", "Monnaie"},
	"generated":       {"Generated", "Établi le"},
	"page_of":         {"Page %d of %s", "Page %d sur %s"},
	"settings":        {"Settings in force", "Paramètres appliqués"},
	"setting":         {"Setting", "Paramètre"},
	"value":           {"Value", "Valeur"},
	"plan_years":      {"Plan years", "Années du plan"},
	"start_year":      {"Start year", "Année de début"},
	"end_year":        {"End year", "Année de fin"},
	"horizon":         {"Horizon", "Horizon"},
	"n_years":         {"%d years", "%d ans"},
	"discount_rate":   {"Discount rate (real)", "Taux d'actualisation (réel)"},
	"optimism_bias":   {"Optimism bias on one-off costs", "Biais d'optimisme sur les coûts ponctuels"},
	"siloed_blocks":   {"Blocks kept siloed", "Blocs maintenus en silo"},
	"none":            {"none", "aucun"},
	"monte_carlo":     {"Monte Carlo", "Monte-Carlo"},
	"mc_draws":        {"%d draws, seed %d", "%d tirages, graine %d"},
	"no_ranges_short": {"no ranges", "aucune fourchette"},
	"contents":        {"Contents of the portfolio", "Contenu du portefeuille"},
	"goals":           {"National goals", "Objectifs nationaux"},
	"programmes":      {"Programmes", "Programmes"},
	"use_cases":       {"Use cases", "Cas d'usage"},
	"workflows":       {"Workflows", "Processus"},
	"blocks":          {"Building blocks", "Blocs de construction"},
	"sdg_targets":     {"SDG targets", "Cibles ODD"},

	// Figures
	"exec_summary":         {"Executive summary", "Synthèse"},
	"pv_siloed":            {"Present value, siloed", "Valeur actuelle, en silo"},
	"pv_shared":            {"Present value, shared", "Valeur actuelle, partagé"},
	"pv_siloed_short":      {"PV siloed", "VA en silo"},
	"pv_shared_short":      {"PV shared", "VA partagé"},
	"savings":              {"Savings", "Économies"},
	"savings_ratio":        {"Savings ratio", "Taux d'économie"},
	"pv_own":               {"PV of programme own costs", "VA des coûts propres"},
	"pv_own_short":         {"PV own costs", "VA coûts propres"},
	"pv_benefits":          {"PV of benefits", "VA des avantages"},
	"pv_benefits_short":    {"PV benefits", "VA avantages"},
	"pv_cost":              {"PV of costs", "VA des coûts"},
	"npv":                  {"Net present value (NPV)", "Valeur actuelle nette (VAN)"},
	"npv_short":            {"NPV", "VAN"},
	"bcr":                  {"Benefit–cost ratio (BCR)", "Ratio avantages-coûts (RAC)"},
	"roi":                  {"Return on investment (ROI)", "Retour sur investissement (RSI)"},
	"irr":                  {"Internal rate of return (IRR)", "Taux de rendement interne (TRI)"},
	"payback":              {"Payback year", "Année de retour sur investissement"},
	"cost_per_beneficiary": {"Cost per beneficiary", "Coût par bénéficiaire"},
	"cost_per_benef_short": {"Cost / beneficiary", "Coût / bénéficiaire"},
	"beneficiaries":        {"Beneficiaries", "Bénéficiaires"},
	"scenario_shared":      {"Shared", "Partagé"},
	"scenario_siloed":      {"Siloed", "En silo"},
	"appraisal":            {"Investment appraisal of the two scenarios", "Évaluation de l'investissement dans les deux scénarios"},
	"indicator":            {"Indicator", "Indicateur"},
	"headline":             {"Sharing building blocks costs %s instead of %s in present value over %s: a saving of %s (%s of the siloed cost).", "Partager les blocs de construction coûte %s au lieu de %s en valeur actuelle sur %s, soit une économie de %s (%s du coût en silo)."},
	"headline_loss":        {"Sharing building blocks costs %s instead of %s in present value over %s: %s more than building them separately.", "Partager les blocs de construction coûte %s au lieu de %s en valeur actuelle sur %s, soit %s de plus que des instances séparées."},
	"headline_npv":         {"With the programmes' own costs and benefits, the shared scenario has an NPV of %s and a benefit–cost ratio of %s.", "Avec les coûts propres et les avantages des programmes, le scénario partagé a une VAN de %s et un ratio avantages-coûts de %s."},
	"amounts_in":           {"Amounts in %s, present value unless stated.", "Montants en %s, en valeur actuelle sauf mention contraire."},
	"chart_pv":             {"Present value of building-block costs", "Valeur actuelle des coûts des blocs"},

	// Blocks
	"by_block":         {"Savings by building block", "Économies par bloc de construction"},
	"block":            {"Building block", "Bloc de construction"},
	"status":           {"Status", "Statut"},
	"status_planned":   {"planned", "prévu"},
	"status_existing":  {"existing", "existant"},
	"forced_siloed":    {"kept siloed", "en silo"},
	"consumers":        {"Consumers", "Utilisateurs"},
	"build_year":       {"Build year", "Année de construction"},
	"total":            {"Total", "Total"},
	"negative_note":    {"A negative saving is shown as it is: sharing that block costs more than building it separately, usually because it has a single consumer whose integration and per-consumer costs nothing offsets.", "Une économie négative est montrée telle quelle : partager ce bloc coûte plus cher que des instances séparées, en général parce qu'il n'a qu'un utilisateur dont les coûts d'intégration et par utilisateur ne sont compensés par rien."},
	"chart_top_blocks": {"The chart shows the %d blocks with the largest savings in absolute value; the table lists all %d.", "Le graphique montre les %d blocs aux économies les plus fortes en valeur absolue ; le tableau les liste tous (%d)."},
	"unused_blocks":    {"%d block(s) of the portfolio have no consumer in the plan and take no part in any figure.", "%d bloc(s) du portefeuille n'ont aucun utilisateur pendant le plan et n'entrent dans aucun chiffre."},

	// Programmes, goals, targets
	"by_programme":    {"Costs and savings by programme", "Coûts et économies par programme"},
	"programme":       {"Programme", "Programme"},
	"years":           {"Years", "Années"},
	"alloc_note":      {"A shared block's common cost (build and run) is allocated to the programmes that use it in proportion to their active years; each programme bears its own integration and per-consumer costs. The rows add up to the portfolio total.", "Le coût commun d'un bloc partagé (construction et exploitation) est réparti entre les programmes qui l'utilisent au prorata de leurs années d'activité ; chaque programme supporte ses propres coûts d'intégration et par utilisateur. Les lignes s'additionnent au total du portefeuille."},
	"inactive":        {"outside the plan", "hors du plan"},
	"by_goal":         {"By national goal", "Par objectif national"},
	"goal":            {"National goal", "Objectif national"},
	"unmapped_goal":   {"Not mapped to a national goal", "Non rattaché à un objectif national"},
	"by_target":       {"By SDG target", "Par cible ODD"},
	"sdg_target":      {"SDG target", "Cible ODD"},
	"sdg":             {"SDG", "ODD"},
	"unmapped_target": {"No SDG target", "Sans cible ODD"},
	"split_note":      {"A programme's figures are split equally among its national goals, and a goal's among its SDG targets, so that each list adds up to the portfolio total.", "Les chiffres d'un programme sont répartis à parts égales entre ses objectifs nationaux, et ceux d'un objectif entre ses cibles ODD, de sorte que chaque liste s'additionne au total du portefeuille."},
	"chart_by_goal":   {"Savings by national goal", "Économies par objectif national"},

	// Years
	"yearly":            {"Year-by-year costs", "Coûts année par année"},
	"year":              {"Year", "Année"},
	"discount_factor":   {"Discount factor", "Facteur d'actualisation"},
	"siloed_costs":      {"Block costs, siloed", "Coûts des blocs, en silo"},
	"shared_costs":      {"Block costs, shared", "Coûts des blocs, partagés"},
	"own_costs":         {"Programme own costs", "Coûts propres des programmes"},
	"benefits":          {"Benefits", "Avantages"},
	"present_value":     {"Present value", "Valeur actuelle"},
	"yearly_note":       {"Yearly amounts are undiscounted; the last row is their present value.", "Les montants annuels ne sont pas actualisés ; la dernière ligne donne leur valeur actuelle."},
	"yearly_chart_note": {"Undiscounted amounts per plan year; hover a year for its figures.", "Montants non actualisés par année du plan ; survolez une année pour ses chiffres."},
	"net_shared":        {"Net flow, shared", "Flux net, partagé"},
	"net_siloed":        {"Net flow, siloed", "Flux net, en silo"},
	"cum_shared":        {"Cumulative net, shared", "Cumul net, partagé"},
	"cum_siloed":        {"Cumulative net, siloed", "Cumul net, en silo"},

	// Uncertainty
	"uncertainty":       {"Uncertainty", "Incertitude"},
	"mc_intro":          {"Each of the %d ranges of the portfolio was drawn %s times (seed %d) from its triangular distribution (low, likely, high), and the whole cost model computed for each draw.", "Chacune des %d fourchettes du portefeuille a été tirée %s fois (graine %d) selon sa loi triangulaire (bas, probable, haut), et le modèle de coûts entier calculé pour chaque tirage."},
	"mean":              {"Mean", "Moyenne"},
	"p10":               {"P10", "P10"},
	"p50":               {"P50 (median)", "P50 (médiane)"},
	"p90":               {"P90", "P90"},
	"prob_negative":     {"Chance below 0", "Probabilité < 0"},
	"npv_shared":        {"NPV, shared scenario", "VAN, scénario partagé"},
	"tornado":           {"Tornado: savings with each range at its low and at its high value", "Tornade : économies avec chaque fourchette à sa valeur basse puis haute"},
	"parameter":         {"Amount", "Montant"},
	"at_low":            {"Savings, amount low", "Économies, montant bas"},
	"at_high":           {"Savings, amount high", "Économies, montant haut"},
	"amount_low":        {"Amount at its low value", "Montant à sa valeur basse"},
	"amount_high":       {"Amount at its high value", "Montant à sa valeur haute"},
	"swing":             {"Swing", "Amplitude"},
	"range":             {"Low / likely / high", "Bas / probable / haut"},
	"tornado_more":      {"%d further ranges with smaller swings are not shown.", "%d autres fourchettes, d'amplitude moindre, ne sont pas montrées."},
	"tornado_npv":       {"Ranges of programme own costs and benefits do not move savings (they are the same in both scenarios); they move the NPV.", "Les fourchettes des coûts propres et des avantages des programmes ne changent pas les économies (identiques dans les deux scénarios) ; elles changent la VAN."},
	"base_savings":      {"Savings at likely values", "Économies aux valeurs probables"},
	"tornado_npv_title": {"Tornado: NPV of the shared scenario with each range at its low and at its high value", "Tornade : VAN du scénario partagé avec chaque fourchette à sa valeur basse puis haute"},
	"base_npv":          {"NPV at likely values", "VAN aux valeurs probables"},

	// Amount fields (tornado labels, workbook headers)
	"f_build_cost":            {"build cost", "coût de construction"},
	"f_annual_run_cost":       {"annual run cost", "coût annuel d'exploitation"},
	"f_integration_cost":      {"integration cost", "coût d'intégration"},
	"f_per_consumer_run_cost": {"run cost per consumer", "coût d'exploitation par utilisateur"},
	"f_own_build_cost":        {"own one-off cost", "coût propre ponctuel"},
	"f_own_annual_cost":       {"own annual cost", "coût propre annuel"},
	"f_annual_benefit":        {"annual benefit", "avantage annuel"},
	"benefit_start_year":      {"Benefit start year", "Début des avantages"},

	// Investment roadmap
	"roadmap":             {"Investment roadmap", "Feuille de route d'investissement"},
	"roadmap_intro":       {"Which blocks to make shared first when money is short. A block saves the same whatever is done with the others, so the best set for a budget is the set of blocks whose shared cost (present value) fits within it and whose savings add up to the most; blocks left out are built siloed.", "Quels blocs partager en premier lorsque les fonds manquent. Un bloc économise autant quoi qu'il advienne des autres : le meilleur ensemble pour un budget est celui dont le coût partagé (valeur actuelle) tient dans le budget et dont les économies cumulées sont les plus fortes ; les blocs laissés de côté sont construits en silo."},
	"roadmap_all":         {"Sharing all %d blocks that save money costs %s in present value and saves %s.", "Partager les %d blocs qui font économiser coûte %s en valeur actuelle et économise %s."},
	"roadmap_none":        {"No building block saves money when shared: there is no investment to rank.", "Aucun bloc de construction ne fait économiser une fois partagé : il n'y a pas d'investissement à classer."},
	"roadmap_budget":      {"With a budget of %s, the set that saves most shares %d blocks: it costs %s and saves %s, %s of the savings possible.", "Avec un budget de %s, l'ensemble qui économise le plus partage %d blocs : il coûte %s et économise %s, soit %s des économies possibles."},
	"roadmap_budget_none": {"No building block fits within a budget of %s.", "Aucun bloc de construction ne tient dans un budget de %s."},
	"roadmap_not_exact":   {"The search for this set stopped early (too many combinations): it is the best set found, not proven the best.", "La recherche de cet ensemble s'est arrêtée tôt (trop de combinaisons) : c'est le meilleur ensemble trouvé, sans preuve qu'il soit optimal."},
	"roadmap_thinned":     {"The frontier had too many points and was thinned: every point is a set that fits its budget, but some sets between them are left out.", "La frontière comptait trop de points et a été éclaircie : chaque point est un ensemble qui tient dans son budget, mais certains ensembles intermédiaires sont omis."},
	"frontier_chart":      {"Efficient frontier: the most savings for each budget", "Frontière efficiente : les économies maximales pour chaque budget"},
	"frontier_chart_note": {"Each step is the best set of blocks for budgets from its cost up to the next step. The right-hand scale is the share of the savings possible from sharing every block that saves.", "Chaque marche est le meilleur ensemble de blocs pour les budgets allant de son coût jusqu'à la marche suivante. L'échelle de droite donne la part des économies possibles en partageant tous les blocs qui font économiser."},
	"frontier_x":          {"Budget: present value of shared costs", "Budget : valeur actuelle des coûts partagés"},
	"frontier_y":          {"Savings captured", "Économies obtenues"},
	"share_possible":      {"Share of possible savings", "Part des économies possibles"},
	"share_short":         {"Share", "Part"},
	"frontier_table":      {"Points of the frontier", "Points de la frontière"},
	"frontier_note":       {"A row starting with + adds those blocks to the set of the row above; any other row lists its whole set, which replaces the one above.", "Une ligne commençant par + ajoute ces blocs à l'ensemble de la ligne précédente ; toute autre ligne donne son ensemble complet, qui remplace le précédent."},
	"frontier_bold":       {"The row in bold is the set chosen for the budget.", "La ligne en gras est l'ensemble retenu pour le budget."},
	"frontier_rows":       {"%d of the %d points of the frontier are listed, at evenly spaced budgets; the workbook lists them all.", "%d des %d points de la frontière sont listés, à des budgets régulièrement espacés ; le classeur les donne tous."},
	"budget_from":         {"Budget from", "Budget à partir de"},
	"blocks_change":       {"Blocks added (+) or whole set", "Blocs ajoutés (+) ou ensemble complet"},
	"n_blocks":            {"Blocks", "Blocs"},
	"budget":              {"Budget", "Budget"},
	"and_more":            {"and %d more", "et %d autres"},
	"chosen_set":          {"Chosen set for a budget of %s", "Ensemble retenu pour un budget de %s"},
	"chosen_short":        {"Chosen set", "Ensemble retenu"},
	"serves_programmes":   {"Programmes served", "Programmes servis"},
	"serves_goals":        {"National goals served", "Objectifs nationaux servis"},
	"possible_savings":    {"Savings possible (every block that saves, shared)", "Économies possibles (blocs qui font économiser)"},
	"candidates":          {"Blocks that save money when shared", "Blocs qui font économiser une fois partagés"},
	"whole_set":           {"Whole set", "Ensemble complet"},
	"wb_roadmap_note":     {"Figures as delivered: the roadmap is an optimisation over the cost model's block figures and is not recomputed when Inputs change.", "Chiffres tels que livrés : la feuille de route est une optimisation sur les chiffres des blocs du modèle de coûts et n'est pas recalculée quand les Inputs changent."},
	"wb_step_data":        {"Chart data (steps)", "Données du graphique (marches)"},
	"tornado_html_note":   {"Each bar is how far savings move from their value at likely amounts (%s, the zero line) when one amount is at its low or at its high value, the others staying likely.", "Chaque barre montre de combien les économies s'écartent de leur valeur aux montants probables (%s, la ligne zéro) quand un montant est à sa valeur basse ou haute, les autres restant probables."},
	"change_savings":      {"Change in savings", "Variation des économies"},

	// Traceability
	"traceability":  {"Traceability: national goals → programmes → use cases → building blocks", "Traçabilité : objectifs nationaux → programmes → cas d'usage → blocs de construction"},
	"trace_intro":   {"Each national goal with the programmes that pursue it; under each programme, the use cases it delivers and the building blocks each needs.", "Chaque objectif national avec les programmes qui le poursuivent ; sous chaque programme, les cas d'usage qu'il met en œuvre et les blocs de construction nécessaires à chacun."},
	"direct_blocks": {"Direct links (no use case says why)", "Liens directs (aucun cas d'usage ne les justifie)"},
	"no_programme":  {"No programme pursues this goal.", "Aucun programme ne poursuit cet objectif."},
	"no_block":      {"no building block", "aucun bloc"},
	"no_use_case":   {"No use case and no block.", "Aucun cas d'usage et aucun bloc."},

	// Assumptions and warnings
	"assumptions":    {"Assumptions and warnings", "Hypothèses et avertissements"},
	"a_window":       {"The plan covers %s (%d years). Cash flows are yearly and the first plan year is not discounted.", "Le plan couvre %s (%d ans). Les flux sont annuels et la première année du plan n'est pas actualisée."},
	"a_discount":     {"Present values use a real discount rate of %s a year.", "Les valeurs actuelles utilisent un taux d'actualisation réel de %s par an."},
	"a_bias":         {"Optimism bias: every one-off amount (build, integration, programme one-off cost) is raised by %s in both scenarios.", "Biais d'optimisme : chaque montant ponctuel (construction, intégration, coût ponctuel des programmes) est majoré de %s dans les deux scénarios."},
	"a_siloed":       {"Siloed: every programme builds its own copy of each block it needs in its first year and runs it in each of its active years.", "En silo : chaque programme construit sa propre instance de chaque bloc nécessaire la première année et l'exploite chacune de ses années d'activité."},
	"a_shared":       {"Shared: one instance per block, built in the first year a programme needs it and run while any programme uses it; each programme pays its integration once and a per-consumer run cost each active year.", "Partagé : une instance par bloc, construite la première année où un programme en a besoin et exploitée tant qu'un programme l'utilise ; chaque programme paie son intégration une fois et un coût d'exploitation par utilisateur chaque année d'activité."},
	"a_existing":     {"An existing block already runs: its build cost is sunk and not counted in the shared scenario.", "Un bloc existant fonctionne déjà : son coût de construction est engagé et n'est pas compté dans le scénario partagé."},
	"a_own":          {"Programme own costs and benefits are the same in both scenarios: they do not change savings, they make the appraisal (NPV, BCR, IRR, payback).", "Les coûts propres et les avantages des programmes sont identiques dans les deux scénarios : ils ne changent pas les économies, ils fondent l'évaluation (VAN, RAC, TRI, retour)."},
	"a_likely":       {"Where an amount is a range, point figures use its likely value.", "Lorsqu'un montant est une fourchette, les chiffres ponctuels utilisent sa valeur probable."},
	"a_rounding":     {"Amounts are rounded for display only; the workbook version of this report holds the unrounded inputs and live formulas.", "Les montants sont arrondis pour l'affichage seulement ; la version classeur de ce rapport contient les données non arrondies et des formules actives."},
	"warnings":       {"Warnings", "Avertissements"},
	"warning":        {"Warning", "Avertissement"},
	"detail":         {"Detail", "Détail"},
	"no_warnings":    {"The portfolio raised no warning.", "Le portefeuille n'a soulevé aucun avertissement."},
	"warnings_intro": {"Validation found these points; the figures are computed regardless.", "La validation a relevé ces points ; les chiffres sont calculés malgré tout."},

	// Warning codes (model/resolve.go)
	"w_programme-outside-plan":  {"Programme outside the plan", "Programme hors de la période du plan"},
	"w_programme-before-plan":   {"Programme started before the plan", "Programme commencé avant le plan"},
	"w_programme-no-goal":       {"Programme with no national goal", "Programme sans objectif national"},
	"w_programme-no-use-case":   {"Programme with no use case and no block", "Programme sans cas d'usage ni bloc"},
	"w_untraced-block-link":     {"Direct (untraced) block link", "Lien direct (non tracé) vers un bloc"},
	"w_goal-no-programme":       {"Goal with no programme", "Objectif sans programme"},
	"w_use-case-no-workflow":    {"Use case with no workflow and no block", "Cas d'usage sans processus ni bloc"},
	"w_block-no-cost":           {"Block in use with no cost", "Bloc utilisé sans coût"},
	"w_block-build-before-plan": {"Planned block first needed before the plan", "Bloc prévu nécessaire avant le plan"},
	"w_other":                   {"Warning", "Avertissement"},

	// Warning sentences, by code, with the id of the entity (WarningText).
	"wt_programme-outside-plan":  {"Programme %s runs entirely outside the plan: it takes no part in any figure.", "Le programme %s se déroule entièrement hors de la période du plan : il n'entre dans aucun chiffre."},
	"wt_programme-before-plan":   {"Programme %s started before the plan: its one-off costs are sunk and not counted.", "Le programme %s a commencé avant le plan : ses coûts ponctuels sont irrécouvrables et ne sont pas comptés."},
	"wt_programme-no-goal":       {"Programme %s serves no national goal: its figures go to “Not mapped to a national goal”.", "Le programme %s ne sert aucun objectif national : ses chiffres vont à « Non rattaché à un objectif national »."},
	"wt_programme-no-use-case":   {"Programme %s has no use case and no block: it needs no building block.", "Le programme %s n'a ni cas d'usage ni bloc : il n'a besoin d'aucun bloc de construction."},
	"wt_untraced-block-link":     {"Programme %s is linked to block %s directly, with no use case to say why.", "Le programme %s est relié directement au bloc %s, sans cas d'usage qui le justifie."},
	"wt_untraced-block-link-any": {"Programme %s is linked to a block directly, with no use case to say why.", "Le programme %s est relié directement à un bloc, sans cas d'usage qui le justifie."},
	"wt_goal-no-programme":       {"No programme pursues goal %s.", "Aucun programme ne poursuit l'objectif %s."},
	"wt_use-case-no-workflow":    {"Use case %s has no workflow and no block: it needs no building block.", "Le cas d'usage %s n'a ni processus ni bloc : il n'a besoin d'aucun bloc de construction."},
	"wt_block-no-cost":           {"Block %s is needed but has no cost: it counts as free.", "Le bloc %s est nécessaire mais n'a aucun coût : il est compté comme gratuit."},
	"wt_block-build-before-plan": {"Block %s is planned but first needed before the plan: its shared build cost is taken as already paid.", "Le bloc %s est prévu mais nécessaire dès avant le plan : son coût de construction partagé est considéré comme déjà payé."},

	// HTML
	"html_subtitle":  {"Interactive charts and tables, readable with no network connection.", "Graphiques interactifs et tableaux, consultables sans connexion réseau."},
	"sankey":         {"From SDG targets to building blocks: where the shared cost goes", "Des cibles ODD aux blocs de construction : où va le coût partagé"},
	"sankey_note":    {"Link widths are the present value of shared costs allocated by the cost model (block → programme, programme → goal, goal → SDG target). A programme's share of a block is drawn through the use cases that need it, in equal parts; direct links go straight to the block.", "La largeur des liens est la valeur actuelle des coûts partagés répartis par le modèle (bloc → programme, programme → objectif, objectif → cible ODD). La part d'un programme dans un bloc passe par les cas d'usage qui en ont besoin, à parts égales ; les liens directs vont droit au bloc."},
	"graph":          {"Portfolio graph", "Graphe du portefeuille"},
	"graph_note":     {"Drag to move, scroll to zoom; click a legend entry to hide a kind of node.", "Faites glisser pour déplacer, défilez pour zoomer ; cliquez une entrée de la légende pour masquer un type de nœud."},
	"heatmap":        {"Reuse: shared cost allocated to each programme, by building block", "Réutilisation : coût partagé imputé à chaque programme, par bloc"},
	"savings_chart":  {"Savings by building block", "Économies par bloc de construction"},
	"yearly_chart":   {"Yearly flows", "Flux annuels"},
	"kind_use_case":  {"Use case", "Cas d'usage"},
	"kind_workflow":  {"Workflow", "Processus"},
	"direct":         {"direct link", "lien direct"},
	"tables":         {"Tables", "Tableaux"},
	"id":             {"ID", "ID"},
	"name":           {"Name", "Nom"},
	"charts_missing": {"Charts are unavailable in this report.", "Les graphiques ne sont pas disponibles dans ce rapport."},

	// Workbook
	"wb_inputs_title":   {"Inputs: change any yellow cell and every sheet updates", "Données : modifiez une cellule jaune et toutes les feuilles se mettent à jour"},
	"wb_inputs_note":    {"Likely values of every amount (ranges are in the PDF's uncertainty section). Other sheets are formulas over these cells.", "Valeurs probables de chaque montant (les fourchettes figurent dans la section incertitude du PDF). Les autres feuilles sont des formules sur ces cellules."},
	"wb_horizon_note":   {"The workbook has one column per plan year as delivered; a shorter horizon zeroes the later years, a longer one needs a new report.", "Le classeur a une colonne par année du plan tel que livré ; un horizon plus court annule les dernières années, un plus long demande un nouveau rapport."},
	"wb_shared":         {"Shared (1 = yes, 0 = kept siloed)", "Partagé (1 = oui, 0 = en silo)"},
	"wb_existing":       {"Existing instance (1 = yes)", "Instance existante (1 = oui)"},
	"wb_membership":     {"Which programme needs which block (1 = needs it): B(p) of the cost model", "Quel programme a besoin de quel bloc (1 = oui) : B(p) du modèle de coûts"},
	"wb_helpers":        {"Per-block helper rows for the programme allocation", "Lignes auxiliaires par bloc pour la répartition par programme"},
	"wb_h_build":        {"Build cost", "Coût de construction"},
	"wb_h_run":          {"Annual run cost", "Coût annuel d'exploitation"},
	"wb_h_cpy":          {"Shared common PV per active year", "VA commune partagée par année d'activité"},
	"wb_h_oneoff":       {"One-off cost per consumer, shared scenario", "Coût ponctuel par utilisateur, scénario partagé"},
	"wb_h_recurring":    {"Yearly cost per consumer, shared scenario", "Coût annuel par utilisateur, scénario partagé"},
	"wb_h_sumactive":    {"Active years of all consumers", "Années d'activité de tous les utilisateurs"},
	"wb_activity":       {"Programme activity per plan year (1 = yes)", "Activité des programmes par année du plan (1 = oui)"},
	"wb_active":         {"Active", "Actif"},
	"wb_oneoff":         {"One-off year", "Année ponctuelle"},
	"wb_benefit":        {"Benefit year", "Année d'avantage"},
	"wb_earlier":        {"Started earlier", "Commencé avant"},
	"wb_in_plan":        {"In plan", "Dans le plan"},
	"wb_active_years":   {"Active years", "Années d'activité"},
	"wb_pv_active":      {"PV of active years", "VA des années actives"},
	"wb_pv_oneoff":      {"PV of one-off year", "VA de l'année ponctuelle"},
	"wb_pv_benefit":     {"PV of benefit years", "VA des années d'avantage"},
	"wb_participates":   {"Takes part", "Participe"},
	"wb_blockcalc":      {"Shared-instance timing per block and year", "Calendrier de l'instance partagée par bloc et par année"},
	"wb_starts":         {"Consumers starting", "Utilisateurs qui démarrent"},
	"wb_running":        {"Consumers active", "Utilisateurs actifs"},
	"wb_started_before": {"Consumers started before", "Utilisateurs déjà démarrés"},
	"wb_build_ind":      {"Shared build (1 = this year)", "Construction partagée (1 = cette année)"},
	"wb_common":         {"Common shared cost", "Coût commun partagé"},
	"wb_pv_common":      {"PV common cost", "VA du coût commun"},
	"wb_summary_title":  {"Summary: live formulas over the Inputs sheet", "Synthèse : formules actives sur la feuille Inputs"},
	"wb_live":           {"Workbook (live)", "Classeur (actif)"},
	"wb_model":          {"blockplan, as delivered", "blockplan, tel que livré"},
	"wb_model_note":     {"The last column is the cost model's figure for the inputs as delivered; after a change to Inputs only the live column moves.", "La dernière colonne donne le chiffre du modèle de coûts pour les données livrées ; après une modification des Inputs, seule la colonne active change."},
	"wb_payback_flag":   {"Payback test", "Test de retour"},
	"wb_goal_shares":    {"Share of each programme's figures going to each goal", "Part des chiffres de chaque programme imputée à chaque objectif"},
	"wb_target_shares":  {"Share of each goal's figures going to each SDG target", "Part des chiffres de chaque objectif imputée à chaque cible ODD"},

	// Archi
	"archi_model_doc":  {"Exported by blockplan: national goals, SDG targets, programmes, use cases, workflows and building blocks, with costs and savings as properties.", "Exporté par blockplan : objectifs nationaux, cibles ODD, programmes, cas d'usage, processus et blocs de construction, avec coûts et économies en propriétés."},
	"archi_contrib":    {"contributes to", "contribue à"},
	"archi_realizes":   {"pursues", "poursuit"},
	"archi_delivers":   {"delivers", "met en œuvre"},
	"archi_runs":       {"realises", "réalise"},
	"sector":           {"Sector", "Secteur"},
	"archi_serves":     {"serves", "sert"},
	"archi_direct":     {"uses (direct link, untraced)", "utilise (lien direct, non tracé)"},
	"archi_agency":     {"Agency", "Organisme"},
	"archi_priority":   {"Priority", "Priorité"},
	"archi_block_uses": {"Used by", "Utilisé par"},
}

// missingLabel, when set (by tests), hears of every key Label does not know.
var missingLabel func(key string)

// Label is the text of key in lang ("en" or "fr"); an unknown key comes back
// as itself so that a missing translation shows rather than hides.
func Label(lang, key string) string {
	l, ok := labels[key]
	if !ok {
		if missingLabel != nil {
			missingLabel(key)
		}
		return key
	}
	if lang == LangFR {
		return l[1]
	}
	return l[0]
}

// Labelf is Label used as a format.
func Labelf(lang, key string, args ...any) string {
	return fmt.Sprintf(Label(lang, key), args...)
}

// LabelKeys is every key of the translation table, sorted.
func LabelKeys() []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
