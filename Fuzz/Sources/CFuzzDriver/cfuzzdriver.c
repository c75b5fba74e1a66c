// Only the header matters: the driver itself comes from libFuzzer at link time.
#include "cfuzzdriver.h"
