/* A stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine 8 only.
 *
 * Rust's standard library (1.78+) gets its random numbers — the seed of every HashMap — from
 * ProcessPrng in bcryptprimitives.dll, which Windows 10 and 11 have and Wine 8 does not. This
 * DLL exports ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * It is never shipped: tests/wine/prefix.sh puts it in the test prefix's system32.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
