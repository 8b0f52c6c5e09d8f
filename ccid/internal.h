/* Private to ccid/: what the card's files share with its power side. */
#ifndef CCID_INTERNAL_H
#define CCID_INTERNAL_H

#include <ccid/ccid.h>

/* The master file, where every reset leaves the card. */
const struct ccid_file *ccid_card_mf(void);

#endif
