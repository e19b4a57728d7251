# Compares two kernel dumps of MonoCheck ("kernels" mode) value by value, as float32 bits (the runtimes print floats
# with different digits): python3 compare.py kernels-mono.txt kernels-net8-scalar.txt
import struct, collections, sys
def f32(s): return struct.unpack('<f', struct.pack('<f', float(s)))[0]
def load(p):
    d=collections.OrderedDict()
    for l in open(p).read().splitlines():
        n,v=l.rsplit(' ',1)
        d.setdefault(n.split('[')[0],[]).append(f32(v))
    return d
def cmp(a_path,b_path):
    a=load(a_path); b=load(b_path)
    total=ex=0; worst=0.0; lines=[]
    for k in a:
        if k not in b or len(a[k])!=len(b[k]): lines.append(f"   {k}: not compared (lengths differ)"); continue
        e=sum(1 for x,y in zip(a[k],b[k]) if x==y or (x!=x and y!=y))
        r=max((abs(x-y)/max(abs(x),abs(y),1e-30) for x,y in zip(a[k],b[k]) if x!=y), default=0.0)
        total+=len(a[k]); ex+=e; worst=max(worst,r)
        if e!=len(a[k]): lines.append(f"   {k}: {e}/{len(a[k])} bit-identical, max relative difference {r:.2e}")
    print(f"{a_path} vs {b_path}: {ex}/{total} values bit-identical; max relative difference {worst:.2e}")
    print("\n".join(lines))
cmp(sys.argv[1], sys.argv[2])
