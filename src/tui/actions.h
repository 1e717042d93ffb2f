/* actions.h — every action of the TUI, once.  The keymap, the config
 * overrides (git config codicil.key.<name> = "key key ...") and the help
 * screen are all generated from this table.
 *
 * Key scheme: vi/less/tig habits for moving and searching (j k, / n N);
 * the decisions on a case or proposal get letters that do not collide with
 * them: y accepts, x rejects ("cross out").  q goes back one view and quits
 * from a top-level view; Q quits from anywhere.
 *
 *   X(ENUM, name, default keys, views, help)
 * views: where the action means something (TV_ALL: everywhere); the help
 * screen groups by it. */
#ifndef CODICIL_TUI_ACTIONS_H
#define CODICIL_TUI_ACTIONS_H

enum {
	TV_PRINCIPLES = 1 << 0,
	TV_CASES = 1 << 1,
	TV_PROPOSALS = 1 << 2,
	TV_HISTORY = 1 << 3,
	TV_COMMIT = 1 << 4,
	TV_HELP = 1 << 5,
	TV_THEORIES = 1 << 6,
	TV_ALL = (1 << 7) - 1,
};

#define TUI_ACTIONS(X) \
	X(DOWN,      "down",        "j Down",       TV_ALL, "move down / scroll down") \
	X(UP,        "up",          "k Up",         TV_ALL, "move up / scroll up") \
	X(PAGE_DOWN, "page-down",   "PgDn C-f",     TV_ALL, "one page down") \
	X(PAGE_UP,   "page-up",     "PgUp C-b",     TV_ALL, "one page up") \
	X(FIRST,     "first",       "Home g",       TV_ALL, "go to the first line") \
	X(LAST,      "last",        "End G",        TV_ALL, "go to the last line") \
	X(OPEN,      "open",        "Enter",        TV_ALL, "open the selected item") \
	X(PANE,      "pane",        "Tab",          TV_PRINCIPLES | TV_CASES, "switch between the list and the text") \
	X(PRINCIPLES,"principles",  "1",            TV_ALL, "view: principles") \
	X(CASES,     "cases",       "2",            TV_ALL, "view: cases") \
	X(PROPOSALS, "proposals",   "3",            TV_ALL, "view: proposals") \
	X(HISTORY,   "history",     "4",            TV_ALL, "view: history") \
	X(THEORIES,  "theories",    "5",            TV_ALL, "view: failure theories") \
	X(SEARCH,    "search",      "/",            TV_ALL, "search (Enter to confirm, Esc to cancel)") \
	X(SEARCH_NEXT, "search-next", "n",          TV_ALL, "next match") \
	X(SEARCH_PREV, "search-prev", "N",          TV_ALL, "previous match") \
	X(HELP,      "help",        "? F1",         TV_ALL, "this help") \
	X(BACK,      "back",        "q",            TV_ALL, "back to the previous view; quit at the top") \
	X(QUIT,      "quit",        "Q",            TV_ALL, "quit codicil") \
	X(REFRESH,   "refresh",     "R F5",         TV_ALL, "reload from the repository") \
	X(REDRAW,    "redraw",      "C-l",          TV_ALL, "redraw the screen") \
	X(CANCEL,    "cancel",      "Esc",          TV_ALL, "cancel the running LLM job") \
	X(HINTS,     "hints",       "F2",           TV_ALL, "show / hide the line of keys at the bottom") \
	X(EDIT,      "edit",        "e",            TV_PRINCIPLES, "edit the principle in $EDITOR and commit") \
	X(GENERATE,  "generate",    "C",            TV_PRINCIPLES | TV_CASES, "ask the model for counterexamples to the principle") \
	X(AMEND,     "amend",       "a",            TV_CASES, "draft an amendment from the marked cases") \
	X(MARK,      "mark",        "Space",        TV_CASES | TV_PROPOSALS, "mark / unmark the item") \
	X(RATE,      "rate",        "r",            TV_CASES | TV_PROPOSALS, "rate the item") \
	X(ACCEPT,    "accept",      "y",            TV_CASES | TV_PROPOSALS, "accept (confirm a case, commit a proposal)") \
	X(REJECT,    "reject",      "x",            TV_CASES | TV_PROPOSALS, "reject (dismiss a case or proposal)") \
	X(VALID,     "valid",       "v",            TV_CASES, "rating: the case is valid (the text really fails)") \
	X(INVALID,   "invalid",     "i",            TV_CASES, "rating: the case is invalid") \
	X(BY_STATUS, "by-status",   "s",            TV_CASES, "filter: next status (open, confirmed, ...)") \
	X(BY_KIND,   "by-kind",     "t",            TV_CASES, "filter: next kind (counterexample, ...)") \
	X(BY_SEVERITY, "by-severity", "!",          TV_CASES, "filter: next minimum severity") \
	X(BY_PRINCIPLE, "by-principle", "p",        TV_CASES, "filter: the selected case's principle, or all") \
	X(SHOW_ALL,  "show-all",    "c",            TV_CASES, "filter: none, show every case") \
	X(TRIAGE,    "triage",      "w",            TV_CASES, "behaviour case: who is wrong, the model or the charter") \
	X(RATE_NEXT, "rate-next",   "o",            TV_CASES, "select the case to rate next (codicil queue)") \
	X(REBASE,    "rebase",      "b",            TV_PROPOSALS, "carry a stale proposal to the charter at HEAD") \
	X(TENSIONS,  "tensions",    "T",            TV_PRINCIPLES, "ask the model for tensions with other principles") \
	X(VAGUENESS, "vagueness",   "V",            TV_PRINCIPLES, "ask the model for vague terms in the principle") \
	X(PROBE,     "probe",       "P",            TV_PRINCIPLES, "probe how the model understands the principle") \
	X(AUDIT,     "audit",       "U",            TV_PRINCIPLES, "audit the target model on the principle (codicil audit)") \
	X(APPEALS,   "appeals",     "A",            TV_CASES, "mark cases where judge and raters disagree") \
	X(THEORIZE,  "theorize",    "H",            TV_THEORIES, "ask the model for failure theories")

enum tui_action {
	ACT_NONE = -1,
#define X_ENUM(e, name, keys, views, help) ACT_##e,
	TUI_ACTIONS(X_ENUM)
#undef X_ENUM
	ACT_COUNT
};

struct tui_action_info {
	const char *name;
	const char *keys; /* defaults, space-separated key names */
	unsigned views;
	const char *help;
};

extern const struct tui_action_info tui_actions[ACT_COUNT];

#endif
