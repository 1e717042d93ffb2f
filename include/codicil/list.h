/* list.h — one doubly-linked intrusive list for every queue that needs
 * O(1) removal from the middle (the client's calls by state, the
 * transport's jobs).
 *
 * The node type has `prev` and `next` pointers to its own type; the list
 * type has `head`, `tail` and a count `n`.  CD_LIST_FUNCS(name, list, node)
 * defines name_append, name_prepend and name_remove for them, so the
 * pointers stay typed and iteration stays `for (j = l->head; j; j = j->next)`.
 * (unused: a file need not use all three, and clang warns of the rest.) */
#ifndef CODICIL_LIST_H
#define CODICIL_LIST_H

#include <stddef.h>

#define CD_LIST_FUNCS(name, list_t, node_t)                                             \
	__attribute__((unused)) static inline void name##_append(list_t *l, node_t *e)  \
	{                                                                               \
		e->next = NULL;                                                         \
		e->prev = l->tail;                                                      \
		if (l->tail)                                                            \
			l->tail->next = e;                                              \
		else                                                                    \
			l->head = e;                                                    \
		l->tail = e;                                                            \
		l->n++;                                                                 \
	}                                                                               \
	__attribute__((unused)) static inline void name##_prepend(list_t *l, node_t *e) \
	{                                                                               \
		e->prev = NULL;                                                         \
		e->next = l->head;                                                      \
		if (l->head)                                                            \
			l->head->prev = e;                                              \
		else                                                                    \
			l->tail = e;                                                    \
		l->head = e;                                                            \
		l->n++;                                                                 \
	}                                                                               \
	__attribute__((unused)) static inline void name##_remove(list_t *l, node_t *e)  \
	{                                                                               \
		if (e->prev)                                                            \
			e->prev->next = e->next;                                        \
		else                                                                    \
			l->head = e->next;                                              \
		if (e->next)                                                            \
			e->next->prev = e->prev;                                        \
		else                                                                    \
			l->tail = e->prev;                                              \
		e->prev = e->next = NULL;                                               \
		l->n--;                                                                 \
	}

#endif
