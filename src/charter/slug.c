/* slug.c — GitHub-style heading slugs and the id alphabet.
 *
 * Like github-slugger: lowercase, drop punctuation and symbols (emoji
 * included) except '-' and '_', turn each space into '-', keep letters and
 * digits of any script.  Lowercasing beyond ASCII covers Latin-1, Latin
 * Extended-A, Greek and Cyrillic, which is what titles use in practice. */
#include "codicil/charter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codicil/buf.h"
#include "codicil/utf8.h"

static int utf8_encode(uint32_t cp, cd_buf *out)
{
	char b[4];
	size_t n;

	if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		n = 4;
	}
	b[n - 1] = (char)(0x80 | (cp & 0x3f));
	return cd_buf_append(out, b, n);
}

static uint32_t lower_non_ascii(uint32_t c)
{
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c == 0x178)
		return 0xff;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 0x25;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 0x3f;
	if (((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	     (c >= 0x14a && c <= 0x177)) && c % 2 == 0)
		return c + 1;
	if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && c % 2 == 1)
		return c + 1;
	return c;
}

/* Punctuation, symbols, spaces and emoji outside ASCII. */
static int drop_non_ascii(uint32_t c)
{
	if (c < 0xc0)
		return !(c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 || c == 0xb9 ||
			 c == 0xba || (c >= 0xbc && c <= 0xbe));
	return c == 0xd7 || c == 0xf7 || (c >= 0x2000 && c <= 0x206f) ||
	       (c >= 0x20a0 && c <= 0x20cf) || (c >= 0x2100 && c <= 0x214f) ||
	       (c >= 0x2190 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x3004) ||
	       (c >= 0x3008 && c <= 0x303f) || (c >= 0xfe00 && c <= 0xfe0f) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff01 && c <= 0xff0f) ||
	       (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) ||
	       (c >= 0xff5b && c <= 0xff65) || (c >= 0x1f000 && c <= 0x1faff) ||
	       (c >= 0xe0000 && c <= 0xe007f);
}

static int slug_ascii(unsigned char c, cd_buf *out)
{
	if (c >= 'A' && c <= 'Z')
		return cd_buf_putc(out, (char)(c - 'A' + 'a'));
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
		return cd_buf_putc(out, (char)c);
	if (c == ' ')
		return cd_buf_putc(out, '-');
	return 0;
}

char *charter_slug(const char *title)
{
	const unsigned char *s = (const unsigned char *)(title ? title : "");
	cd_buf out = CD_BUF_INIT;
	uint32_t cp;
	size_t n;
	int rc = 0;

	while (*s && rc == 0) {
		if (*s < 0x80) {
			rc = slug_ascii(*s++, &out);
			continue;
		}
		n = cd_utf8_decode((const char *)s, strlen((const char *)s), &cp);
		if (n == 0) {
			s++;
			continue;
		}
		s += n;
		if (!drop_non_ascii(cp))
			rc = utf8_encode(lower_non_ascii(cp), &out);
	}
	if (rc < 0) {
		cd_buf_clear(&out);
		return NULL;
	}
	return cd_buf_detach(&out);
}

int charter_id_valid(const char *id)
{
	const char *p;

	if (!id || !*id || *id == '.') /* ".", "..", ".git": never a file name */
		return 0;
	for (p = id; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Latin letters with accents, folded to ASCII for ids (UTF-8 in, ASCII
 * out); anything else that is not an id character separates words. */
static const char *fold_latin(const unsigned char *p, size_t *len)
{
	static const struct { const char *from, *to; } folds[] = {
		{ "à", "a" }, { "á", "a" }, { "â", "a" }, { "ã", "a" }, { "ä", "a" }, { "å", "a" },
		{ "æ", "ae" }, { "ç", "c" }, { "è", "e" }, { "é", "e" }, { "ê", "e" }, { "ë", "e" },
		{ "ì", "i" }, { "í", "i" }, { "î", "i" }, { "ï", "i" }, { "ñ", "n" }, { "ò", "o" },
		{ "ó", "o" }, { "ô", "o" }, { "õ", "o" }, { "ö", "o" }, { "ø", "o" }, { "œ", "oe" },
		{ "ù", "u" }, { "ú", "u" }, { "û", "u" }, { "ü", "u" }, { "ý", "y" }, { "ÿ", "y" },
		{ "ß", "ss" },
	};

	for (size_t k = 0; k < sizeof folds / sizeof *folds; k++) {
		size_t n = strlen(folds[k].from);
		if (!strncmp((const char *)p, folds[k].from, n)) {
			*len = n;
			return folds[k].to;
		}
	}
	*len = 1;
	while ((p[*len] & 0xc0) == 0x80)
		(*len)++;
	return NULL;
}

static int id_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '.' || ch == '-';
}

char *charter_make_id(const char *text, const char *fallback,
		      int (*taken)(void *ud, const char *id), void *ud)
{
	const unsigned char *p = (const unsigned char *)text;
	cd_buf id = CD_BUF_INIT, try = CD_BUF_INIT;
	size_t n;

	while (*p) {
		const char *f = *p >= 0x80 ? fold_latin(p, &n) : NULL;
		if (*p < 0x80) {
			n = 1;
			if (id_char(*p) && (id.len || *p != '.'))
				cd_buf_putc(&id, (char)*p);
			else if (id.len && id.data[id.len - 1] != '-')
				cd_buf_putc(&id, '-');
		} else if (f) {
			cd_buf_puts(&id, f);
		} else if (id.len && id.data[id.len - 1] != '-') {
			cd_buf_putc(&id, '-');
		}
		p += n;
	}
	while (id.len && id.data[id.len - 1] == '-')
		id.data[--id.len] = '\0';
	if (!id.len)
		cd_buf_puts(&id, fallback);
	cd_buf_puts(&try, cd_buf_cstr(&id));
	for (int k = 2; taken && taken(ud, try.data); k++) {
		cd_buf_reset(&try);
		cd_buf_printf(&try, "%s-%d", id.data, k);
	}
	cd_buf_clear(&id);
	return cd_buf_detach(&try);
}
