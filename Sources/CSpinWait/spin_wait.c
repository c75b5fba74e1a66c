// cl_spin_pause is inline, in the header; SwiftPM needs a source file for the target.
#include "cspinwait.h"
