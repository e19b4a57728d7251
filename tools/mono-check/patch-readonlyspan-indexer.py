# Debian's Mono 6.8 class libraries (built with mcs) declare ReadOnlySpan<T>'s indexer without the
# modreq(InAttribute) that Roslyn's reference assemblies have, so Roslyn-built netstandard2.1 code that indexes a
# ReadOnlySpan<T> fails there with MissingMethodException. For running on that Mono only, this rewrites the member
# reference signature blob "HASTHIS, 1 param, modreq(InAttribute) !0&, (int32)" to "HASTHIS, 1 param, !0&, (int32)"
# in place (the blob shrinks; the bytes after it are unreferenced). The InAttribute token is 1 or 2 bytes.
import re, sys
data = bytearray(open(sys.argv[1], 'rb').read())
count = 0
for length, tok in ((8, rb'[\x00-\x7f]'), (9, rb'[\x80-\xbf].')):
    pattern = re.compile(bytes([length]) + rb'\x20\x01\x1f' + tok + rb'\x10\x13\x00\x08', re.S)
    for m in list(pattern.finditer(data)):
        n = m.end() - m.start()
        data[m.start():m.end()] = b'\x06\x20\x01\x10\x13\x00\x08' + b'\x00' * (n - 7)
        count += 1
open(sys.argv[2], 'wb').write(data)
print(f"{sys.argv[1]}: patched {count} blob(s)")
