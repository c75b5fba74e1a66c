#ifndef COVERLENS_SPIN_WAIT_H
#define COVERLENS_SPIN_WAIT_H

/// The x86 `pause` instruction, for a loop that waits on a memory location: it tells the core the
/// loop is a spin (no memory-order mis-speculation when the value changes, fewer resources taken
/// from a hyperthread sibling, less power). Swift cannot emit it: clang's `_mm_pause` is a builtin,
/// not an inline function Swift could import.
static inline void cl_spin_pause(void) { __builtin_ia32_pause(); }

#endif
