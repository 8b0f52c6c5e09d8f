/* Subscriber lists kept in registration order within equal `order' keys
 * (fault hooks, execution-context hooks, the loader's unload hooks): any
 * struct with `int order' and a `next' pointer of its own type. */
#ifndef CORE_ORDERED_H
#define CORE_ORDERED_H

#define ORDERED_INSERT(head, h)							\
	do {									\
		typeof(h) *pp_ = &(head);					\
		while (*pp_ && (*pp_)->order <= (h)->order)			\
			pp_ = &(*pp_)->next;					\
		(h)->next = *pp_;						\
		*pp_ = (h);							\
	} while (0)

#endif
