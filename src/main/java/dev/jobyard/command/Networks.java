package dev.jobyard.command;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses {@code http} and {@code download} refuse unless an operator allows their network:
 * loopback, private, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included), carrier
 * NAT (Alibaba's metadata at 100.100.100.200), unspecified, multicast and reserved ranges, also when an
 * IPv6 address carries one of them inside (IPv4-mapped, NAT64, 6to4).
 */
public final class Networks {

    /** One CIDR block. */
    public record Block(byte[] prefix, int bits, String text) {

        public boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Block> REFUSED = List.of(
            parse("0.0.0.0/8"), parse("10.0.0.0/8"), parse("100.64.0.0/10"), parse("127.0.0.0/8"), parse("169.254.0.0/16"),
            parse("172.16.0.0/12"), parse("192.0.0.0/24"), parse("192.0.2.0/24"), parse("192.168.0.0/16"), parse("198.18.0.0/15"),
            parse("198.51.100.0/24"), parse("203.0.113.0/24"), parse("224.0.0.0/4"), parse("240.0.0.0/4"),
            parse("::/128"), parse("::1/128"), parse("fc00::/7"), parse("fe80::/10"), parse("fec0::/10"), parse("ff00::/8"),
            parse("2001:db8::/32"));

    private Networks() {
    }

    /** {@code a.b.c.d/n}, {@code x::y/n}, or a single address; only address literals, never a name to look up. */
    public static Block parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
        }
        int max = parsed.getAddress().length * 8;
        int bits;
        try {
            bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
        }
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0.." + max);
        }
        return new Block(parsed.getAddress(), bits, text);
    }

    /**
     * The address a URL host names literally ({@code 10.0.0.1}, {@code [::1]}, also the short and numeric
     * IPv4 forms resolvers accept, such as {@code 127.1} or {@code 2130706433}); null for a host name.
     */
    public static InetAddress literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv6 = h.contains(":");
        boolean ipv4ish = !h.isEmpty() && h.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == 'x' || c == 'X'
                || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) && Character.isDigit(h.charAt(0));
        if (!ipv6 && !ipv4ish) {
            return null;
        }
        if (ipv4ish) {
            long value = inetAton(h);
            if (value < 0) {
                return null;
            }
            return bytes(new byte[] { (byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value });
        }
        try {
            // Only a literal reaches here (it contains ':'), so this parses without a lookup.
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether the address is one of the refused kinds: for an IPv6 address, also the IPv4 address inside it. */
    public static boolean refused(InetAddress address) {
        for (InetAddress a : withEmbedded(address)) {
            for (Block block : REFUSED) {
                if (block.contains(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The address, and for IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) the IPv4 address it carries. */
    static List<InetAddress> withEmbedded(InetAddress address) {
        List<InetAddress> all = new ArrayList<>(List.of(address));
        byte[] a = address.getAddress();
        if (a.length == 16) {
            boolean zeros80 = true;
            for (int i = 0; i < 10; i++) {
                zeros80 &= a[i] == 0;
            }
            boolean mapped = zeros80 && (a[10] == (byte) 0xff && a[11] == (byte) 0xff || a[10] == 0 && a[11] == 0);
            boolean nat64 = a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b;
            if (mapped || nat64) {
                all.add(bytes(new byte[] { a[12], a[13], a[14], a[15] }));
            }
            if (a[0] == 0x20 && a[1] == 0x02) {
                all.add(bytes(new byte[] { a[2], a[3], a[4], a[5] }));
            }
        }
        return all;
    }

    private static InetAddress bytes(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** inet_aton: 1 to 4 parts, each decimal, octal (0...) or hex (0x...), the last filling the remaining bytes; -1 if not. */
    private static long inetAton(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return -1;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].toLowerCase(java.util.Locale.ROOT);
            try {
                if (p.startsWith("0x")) {
                    values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        long result = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                return -1;
            }
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        if (last >= 1L << (8 * (5 - values.length))) {
            return -1;
        }
        return result | last;
    }
}
