// Build configuration shared by every header. With CANDOR_HEADER_ONLY defined (the
// candor::stats-header-only target defines it), the parts that can be used without the
// compiled library are defined inline in their headers, as {fmt}'s FMT_HEADER_ONLY does;
// otherwise lib/ compiles those definitions once.
#pragma once

#ifdef CANDOR_HEADER_ONLY
#define CANDOR_INLINE inline
#else
#define CANDOR_INLINE
#endif
