/* Card presence for the rest of the VMM (the hypervisor's HC_CARDWAIT,
 * vmm/hypercall.c): the loaded IFD handler (Debian's libccid.so) is asked
 * through IFDHICCPresence, as pcscd asks it. */
#ifndef CARD_PRESENCE_H
#define CARD_PRESENCE_H

/* Reader `index' (as `card list' numbers them): 1 a card is present, 0 the
 * slot is empty, -ENODEV no such reader or no driver loaded (silently),
 * -EIO the driver could not be asked (after one line saying why). */
int card_presence(int index);

#endif
