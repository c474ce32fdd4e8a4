package dev.roleproof.engine.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block (a bare address is /32 or /128). Parsed without DNS: IPv4 by hand, IPv6 only through
 * InetAddress after checking the text is an IPv6 literal (contains ':' and only hex digits, ':' and '.'), since
 * InetAddress would resolve anything else as a host name.
 */
public record Cidr(byte[] address, int prefix) {

    /** Null when the text is not an IP address or CIDR block. */
    public static Cidr parseOrNull(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = parseAddress(addr);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return null;
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** The address bytes (4 or 16), or null when the text is not an IP literal. */
    public static byte[] parseAddress(String s) {
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                    return null;
                }
            }
            try {
                byte[] b = InetAddress.getByName(s).getAddress();
                return b.length == 16 ? b : null; // an IPv4-mapped literal comes back as 4 bytes: keep families apart
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String o = octets[i];
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(o);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** Whether the address (same family) lies in this block. */
    public boolean contains(byte[] ip) {
        if (ip == null || ip.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (ip[full] & mask) == (address[full] & mask);
    }
}
