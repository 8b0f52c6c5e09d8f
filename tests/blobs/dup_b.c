int dup_sym(void) { return 2; }
int dup_weak(void) { return 20; }	/* strong beats the weak one in dup_a */
int dup_b_weak_winner(void) { extern int dup_weak(void); return dup_weak(); }
