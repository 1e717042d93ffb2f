/* charter.h — a markdown charter as a tree of principles.
 *
 * The charter keeps its source text untouched; principles are views into it
 * by byte offset, so serialising an unmodified charter gives back the exact
 * bytes (CRLF, trailing spaces, tabs, no final newline, any UTF-8).  Block
 * structure comes from libcmark, so a '#' line inside a fenced code block or
 * an HTML block is not a heading, and setext headings are.
 *
 * A principle is an ATX or setext heading plus the text up to the next
 * heading of the same or a higher level (its sub-principles are inside its
 * span).  Heading attributes follow Pandoc/kramdown:
 *
 *     ## Respect privacy {#privacy authority=root note="a b" .class}
 *
 * The id comes from {#id}; without one, a GitHub-style slug of the title is
 * used and explicit_id is 0.  Other attributes are kept in source order.
 */
#ifndef CODICIL_CHARTER_H
#define CODICIL_CHARTER_H

#include <stddef.h>

#include "codicil/buf.h"

typedef struct charter_attr {
	char *key;   /* "authority"; for a class ".x", key is ".x" and value NULL */
	char *value; /* unquoted value, NULL for a bare key or class */
} charter_attr;

typedef struct principle {
	char *id;
	int explicit_id;   /* 1: {#id} in the heading; 0: implicit slug */
	char *title;       /* heading text, attribute block and closing #s removed */
	int level;         /* 1..6 */
	int parent;        /* index of the enclosing principle, -1 at top level */
	size_t line;       /* 1-based line of the heading */
	size_t start;      /* byte offset of the heading's first byte */
	size_t heading_end;/* offset just past the heading's line ending(s) */
	size_t end;        /* offset of the next heading of level <= this one, or EOF */
	size_t body_end;   /* offset of the next heading of any level, or EOF */
	size_t attr_start, attr_end; /* the "{...}" block within the heading; equal if none */
	charter_attr *attrs;
	size_t nattrs;
} principle;

typedef struct charter {
	char *path;        /* for error messages: "CONSTITUTION.md" */
	char *text;        /* the source, NUL-terminated */
	size_t len;
	principle *p;      /* in document order */
	size_t n;
} charter;

/* Parse text (len bytes, need not be NUL-terminated).  Fails only on
 * problems that make the structure unusable (out of memory); everything a
 * user should fix is reported by charter_validate(). */
int charter_parse(const char *path, const char *text, size_t len, charter **out);
void charter_free(charter *c);

/* Problems a user must fix, one "path:line: message" line each, appended to
 * out: text that is not UTF-8, duplicate ids, malformed attribute blocks,
 * ids outside [A-Za-z0-9_.-].  Returns the number of problems (0: valid). */
size_t charter_validate(const charter *c, cd_buf *out);
/* The same without the ids outside [A-Za-z0-9_.-], which 'codicil fmt'
 * mends: what makes a file unusable as a charter at all (an import). */
size_t charter_validate_structure(const charter *c, cd_buf *out);

const principle *charter_find(const charter *c, const char *id);
int charter_index(const charter *c, const char *id); /* -1 if absent */
/* 1 when principle i has sub-principles (a section), 0 for a leaf (a rule
 * of META.md, a target of generation). */
int charter_has_children(const charter *c, size_t i);

/* The source text, byte for byte. */
int charter_serialize(const charter *c, cd_buf *out);
/* The principle's whole span: heading, body and sub-principles. */
int charter_principle_text(const charter *c, const principle *p, cd_buf *out);
/* The principle's own body: after the heading, up to the next heading. */
int charter_principle_body(const charter *c, const principle *p, cd_buf *out);

/* What a model needs of the charter for the principles ids: the whole text
 * when it is at most max_bytes long (or ids is empty, or names none of its
 * principles); else its table of contents (every heading with its id), then
 * each principle at stake in full (heading, body, sub-principles) and, for
 * each of its ancestors, the heading and its own text.  Appends to out. */
int charter_excerpt(const charter *c, const char *const *ids, size_t nids, size_t max_bytes,
		    cd_buf *out);

/* Up to three ids of c close to id (a typo, a part of it), closest first,
 * appended to out as "a, b, c".  Returns how many. */
int charter_suggest(const charter *c, const char *id, cd_buf *out);

/* The GitHub-style slug of a heading title (lowercase, punctuation dropped,
 * spaces to '-'); the caller de-duplicates with -1, -2, ... */
char *charter_slug(const char *title);
/* 1 when every byte of id is in [A-Za-z0-9_.-], id is not empty and does
 * not start with '.' (".", "..", ".git" name no principle). */
int charter_id_valid(const char *id);
/* The pattern of a valid id, for JSON schemas (POSIX ERE). */
#define CHARTER_ID_PATTERN "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"
/* A valid id made from text (a slug, or a would-be id): accents folded,
 * other runs of characters outside the id alphabet made '-', fallback when
 * nothing is left, then -2, -3, ... until taken() says no (taken may be
 * NULL).  NULL when out of memory. */
char *charter_make_id(const char *text, const char *fallback,
		      int (*taken)(void *ud, const char *id), void *ud);

/* Structured edits: the only way engine code changes a charter. */
typedef enum {
	CHARTER_EDIT_REPLACE,      /* id's body (and heading, if given) */
	CHARTER_EDIT_INSERT_AFTER, /* new principle after id's whole span */
	CHARTER_EDIT_DELETE,       /* id's whole span, sub-principles included */
} charter_edit_kind;

typedef struct charter_edit {
	charter_edit_kind kind;
	const char *id;      /* the target principle */
	const char *new_id;  /* INSERT_AFTER: id of the new principle */
	int level;           /* INSERT_AFTER: heading level (1..6); 0 = target's level */
	const char *heading; /* REPLACE: new title (NULL keeps it); INSERT_AFTER: title */
	const char *body;    /* REPLACE / INSERT_AFTER: new body text */
} charter_edit;

/* Apply edits in order to c's text and write the result to out.  The
 * result is re-parsed and checked: every edit's target exists, no id is
 * duplicated, no body or heading is empty, the new ids are present and the
 * deleted ones gone.  On any failure out is left empty and nothing is
 * applied.  Attribute blocks of replaced headings are kept; the file's line
 * ending style (LF or CRLF) is used for inserted text. */
int charter_apply(const charter *c, const charter_edit *edits, size_t n, cd_buf *out);

/* The text with an explicit {#id} written into every heading that lacks
 * one; nothing else changes.  *changed = number of headings touched. */
int charter_fmt(const charter *c, cd_buf *out, size_t *changed);

#endif
