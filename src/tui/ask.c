/* ask.c — a question on the message line, answered with a line of text:
 * the note of an accept, the reason of a reject.  While it is open every
 * key goes to it; Enter answers, Esc (or C-c) cancels. */
#include "keymap.h"
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

#include "codicil/error.h"
#include "codicil/sanitize.h"

#define ASK_MAX 2000 /* bytes of an answer */

struct tui_ask {
	char label[160];
	char text[ASK_MAX + 1];
	size_t len;
	int required, nagged;
	tui_ask_fn done;
	void *ud;
};

/* The open question; ended by finish() (tui_ask_free at the latest). */
static const tui_feature ask_feature = { "question", NULL };

int tui_ask(tui_app *app, const char *label, int required, tui_ask_fn done, void *ud)
{
	struct tui_ask *a = NULL;

	if (tui_asking(app) || !(a = calloc(1, sizeof *a)) ||
	    tui_set_state(app, &ask_feature, a) < 0) {
		if (tui_asking(app))
			tui_error(app, "answer the open question first");
		else if (!a)
			tui_error(app, "out of memory");
		free(a);
		done(app, ud, NULL);
		return -1;
	}
	snprintf(a->label, sizeof a->label, "%s", label);
	a->required = required;
	a->done = done;
	a->ud = ud;
	tui_redraw(app);
	return 0;
}

int tui_asking(tui_app *app)
{
	return tui_state(app, &ask_feature) != NULL;
}

static void finish(tui_app *app, const char *answer)
{
	struct tui_ask *a = tui_state(app, &ask_feature);

	tui_set_state(app, &ask_feature, NULL); /* done may ask again */
	tui_redraw(app);
	a->done(app, a->ud, answer);
	free(a);
}

static void type(struct tui_ask *a, int key)
{
	char utf8[5];
	size_t n = tui_utf8_encode(key, utf8);

	if (a->len + n <= ASK_MAX) {
		memcpy(a->text + a->len, utf8, n + 1);
		a->len += n;
	}
}

void tui_ask_key(tui_app *app, int key)
{
	struct tui_ask *a = tui_state(app, &ask_feature);

	if (key == TUI_KEY_ESC || key == 3 /* C-c */) {
		finish(app, NULL);
	} else if (key == '\n') {
		char *clean;
		/* an answer ends up in a commit: one line, nothing a terminal acts on */
		a->text[a->len] = '\0';
		if (!(clean = cd_sanitize_dup(a->text, CD_SAN_ONE_LINE))) {
			tui_error(app, "out of memory");
			finish(app, NULL);
			return;
		}
		if (a->required && !clean[strspn(clean, " ")]) {
			a->nagged = 1;
		} else {
			size_t n = strlen(clean);
			while (n && clean[n - 1] == ' ')
				clean[--n] = '\0';
			finish(app, clean + strspn(clean, " "));
		}
		free(clean);
	} else if (key == (TUI_KEY_FN | KEY_BACKSPACE)) {
		while (a->len && (a->text[--a->len] & 0xc0) == 0x80)
			;
		a->text[a->len] = '\0';
	} else if (key == 21 /* C-u */) {
		a->len = 0;
		a->text[0] = '\0';
	} else if (key >= 32 && key != 127 && !(key & TUI_KEY_FN)) {
		type(a, key);
	} else if (key == '\t') {
		type(a, ' ');
	}
}

/* The label, then as much of the end of the answer as fits. */
int tui_ask_draw(tui_app *app, int y)
{
	struct tui_ask *a = tui_state(app, &ask_feature);
	const char *nag = a->nagged ? "(required) " : "";
	int lw, room;
	size_t start = 0;

	attrset(tui_style(ST_TITLE));
	lw = tui_puts(y, 0, a->label, COLS > 12 ? COLS - 8 : COLS / 2);
	attrset(tui_style(ST_ERROR));
	lw += tui_puts(y, lw, nag, COLS - lw - 1);
	attrset(A_NORMAL);
	room = COLS - lw - 1;
	if (room < 1)
		return COLS - 1;
	while (start < a->len && tui_width(a->text + start, a->len - start) > room) {
		start++;
		while (start < a->len && (a->text[start] & 0xc0) == 0x80)
			start++;
	}
	return lw + tui_put(y, lw, a->text + start, a->len - start, room);
}

void tui_ask_free(tui_app *app)
{
	if (tui_asking(app))
		finish(app, NULL);
}
