/* commands.c — the one table of commands; each lives in its own file. */
#include "cli.h"

/* X(name, summary); N(function, "name", summary) for a name that is not
 * an identifier. */
#define COMMANDS(X, N) \
	X(init,       "create a constitution repository") \
	X(principles, "list the principles of the charter") \
	X(show,       "print one principle") \
	X(edit,       "edit one principle in $EDITOR and commit it") \
	X(fmt,        "write explicit ids into headings") \
	X(diff,       "show changes to the charter (line or word level)") \
	X(log,        "history with provenance trailers") \
	X(blame,      "the commit that last changed each principle") \
	X(verify,     "check the provenance of every amendment commit") \
	X(generate,   "ask the model for cases where the charter fails") \
	X(batch,      "a resumable generation run over many principles") \
	X(cases,      "list the case library") \
	X(case,       "show one case") \
	X(rate,       "record a human verdict on a case") \
	X(tensions,   "ask for principles that conflict, with scenarios") \
	X(vagueness,  "ask for terms with diverging readings, with scenarios") \
	X(probe,      "thought experiments on how the model reads the charter") \
	X(theorize,   "failure theories from the cases, with hit rates") \
	X(audit,      "put the governed model to the test; its failures become behaviour cases") \
	X(triage,     "decide a behaviour case: the model or the charter is wrong") \
	X(aggregate,  "multi-rater consensus: case validity and rater bias") \
	X(appeals,    "where the judge and the raters confidently disagree") \
	X(queue,      "the cases a rater should rate next") \
	X(judge,      "judge cases against the charter") \
	X(regress,    "judge every case before and after a change") \
	X(amend,      "draft an amendment that resolves cases") \
	X(proposals,  "list the proposed amendments and their status") \
	X(review,     "show a proposal with the redline of its change") \
	X(accept,     "accept a proposal: one commit with full provenance") \
	X(loop,       "run unattended: rounds of generate, judge and amend within a budget") \
	X(reject,     "reject a proposal, with the reason") \
	X(ratify,     "confirm an amendment the loop accepted on its own") \
	X(revert,     "undo an accepted amendment: the charter before it, its cases open") \
	X(ask,        "ask the configured model one question") \
	X(doctor,     "check the LLM setup with one small request") \
	X(config,     "the settings: values, sources, and a checked way to set one") \
	X(export,     "the cases for promptfoo, Inspect, or as JSONL or CSV") \
	X(import,     "an outside scenario set in as open cases, in one commit") \
	X(publish,    "the constitution, its history and its cases as a static site") \
	X(index,      "the case index: bring it up to date, rebuild or check it") \
	X(migrate,    "move an older repository to today's layout, in one commit") \
	N(merge_file, "merge-file", "git's merge driver for case files (ratings merge)") \
	X(cache,      "response cache: stats or clear") \
	X(runs,       "the runs that asked a model: requests, tokens, cost, state") \
	X(cost,       "what the runs cost, by command, model, principle or rater") \
	X(tui,        "the interactive workbench (also: codicil alone on a terminal)") \
	X(demo,       "the offline demo: a sample constitution and recorded answers") \
	X(version,    "print version information")

#define DECLARE(name, summary) \
	int cmd_##name(cli_ctx *, int, char **); \
	extern const char cmd_##name##_usage[];
#define DECLARE_NAMED(fn, name, summary) DECLARE(fn, summary)
COMMANDS(DECLARE, DECLARE_NAMED)

#define ENTRY(name, summary) { #name, cmd_##name, summary, cmd_##name##_usage },
#define ENTRY_NAMED(fn, name, summary) { name, cmd_##fn, summary, cmd_##fn##_usage },
const cli_command cli_commands[] = {
	COMMANDS(ENTRY, ENTRY_NAMED)
	{ NULL, NULL, NULL, NULL },
};
