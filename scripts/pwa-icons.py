#!/usr/bin/env python3
# Regenerates src/ContactCenter.Web/public/icons (run from that folder): python3 ../../../../scripts/pwa-icons.py
# Draws the PWA icons (a white speech bubble on the app's blue) as PNGs with the standard library only.
import struct, zlib, sys
BLUE=(37,99,235,255); WHITE=(255,255,255,255); CLEAR=(0,0,0,0)
def rr(x,y,x0,y0,x1,y1,r):
    if x<x0 or x>x1 or y<y0 or y>y1: return False
    cx=min(max(x,x0+r),x1-r); cy=min(max(y,y0+r),y1-r)
    return (x-cx)**2+(y-cy)**2<=r*r
def icon(size, maskable):
    s=size; rows=[]
    # maskable: full bleed background, symbol inside the central 60%; "any": rounded square
    scale = 0.6 if maskable else 0.78
    for yy in range(s):
        row=bytearray([0])
        for xx in range(s):
            px=CLEAR
            if maskable or rr(xx,yy,0,0,s-1,s-1,s*0.2): px=BLUE
            # bubble box in unit coords
            u=(xx/s-0.5)/scale+0.5; v=(yy/s-0.5)/scale+0.5
            if rr(u,v,0.12,0.16,0.88,0.70,0.12): px=WHITE
            # tail: triangle below left
            if 0.70<=v<=0.86 and 0.26<=u<=0.26+(0.86-v)*1.3 and u<=0.44: px=WHITE
            # three dots
            for dx in (0.32,0.5,0.68):
                if (u-dx)**2+(v-0.43)**2<=0.055**2: px=BLUE
            row+=bytes(px)
        rows.append(bytes(row))
    raw=b''.join(rows)
    def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d)&0xffffffff)
    return b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',s,s,8,6,0,0,0))+chunk(b'IDAT',zlib.compress(raw,9))+chunk(b'IEND',b'')
for size,mask,name in [(192,False,'icon-192.png'),(512,False,'icon-512.png'),(512,True,'icon-maskable-512.png'),(180,True,'apple-touch-icon.png')]:
    open(name,'wb').write(icon(size,mask))
