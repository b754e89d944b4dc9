package dev.palco.turn;

import java.util.List;

/**
 * An address range a TURN relay must never send to. Without these, anyone holding a credential
 * could use the relay as a proxy into the networks behind it: the cloud metadata service at
 * 169.254.169.254, databases on 10.0.0.0/8, the TURN host's own loopback services.
 *
 * <p>coturn 4.6 takes ranges as {@code first-last} (or one address), not CIDR: {@code
 * denied-peer-ip=10.0.0.0/8} is refused with "Wrong address format", so each range carries both.
 *
 * <p>The unspecified IPv6 address {@code ::} is not listed: coturn reads an all-zero bound as
 * "no bound", so {@code denied-peer-ip=::} denies every peer there is (seen with coturn 4.6.1:
 * "A peer IP 10.1.2.3 denied in the range: ::"). An all-zero first address is safe only with a
 * last address, as in {@code 0.0.0.0-0.255.255.255}.
 *
 * @param cidr the range in CIDR notation, for people
 * @param first the first address, for coturn
 * @param last the last address, for coturn ({@code null} for a single address)
 * @param why what lives there, and the RFC that sets it aside
 */
public record DeniedPeerRange(String cidr, String first, String last, String why) {

  /**
   * What coturn is told to deny: the special-purpose ranges of the IANA IPv4 and IPv6
   * Special-Purpose Address Registries (RFC 6890) that are not globally reachable or that embed
   * an IPv4 address, plus multicast and the reserved block.
   */
  public static final List<DeniedPeerRange> ALL =
      List.of(
          range("0.0.0.0/8", "0.0.0.0", "0.255.255.255", "\"this network\" (RFC 791 §3.2, RFC 1122 §3.2.1.3)"),
          range("10.0.0.0/8", "10.0.0.0", "10.255.255.255", "private network (RFC 1918)"),
          range("100.64.0.0/10", "100.64.0.0", "100.127.255.255", "carrier-grade NAT shared space (RFC 6598)"),
          range("127.0.0.0/8", "127.0.0.0", "127.255.255.255", "loopback: services on the TURN host itself (RFC 1122 §3.2.1.3)"),
          range("169.254.0.0/16", "169.254.0.0", "169.254.255.255", "link-local, including cloud metadata at 169.254.169.254 (RFC 3927)"),
          range("172.16.0.0/12", "172.16.0.0", "172.31.255.255", "private network (RFC 1918)"),
          range("192.0.0.0/24", "192.0.0.0", "192.0.0.255", "IETF protocol assignments (RFC 6890 §2.2.2)"),
          range("192.0.2.0/24", "192.0.2.0", "192.0.2.255", "documentation TEST-NET-1 (RFC 5737)"),
          range("192.88.99.0/24", "192.88.99.0", "192.88.99.255", "6to4 relay anycast (RFC 7526)"),
          range("192.168.0.0/16", "192.168.0.0", "192.168.255.255", "private network (RFC 1918)"),
          range("198.18.0.0/15", "198.18.0.0", "198.19.255.255", "benchmarking (RFC 2544)"),
          range("198.51.100.0/24", "198.51.100.0", "198.51.100.255", "documentation TEST-NET-2 (RFC 5737)"),
          range("203.0.113.0/24", "203.0.113.0", "203.0.113.255", "documentation TEST-NET-3 (RFC 5737)"),
          range("224.0.0.0/4", "224.0.0.0", "239.255.255.255", "multicast (RFC 5771)"),
          range("240.0.0.0/4", "240.0.0.0", "255.255.255.255", "reserved, and limited broadcast (RFC 1112 §4, RFC 919)"),
          range("::1/128", "::1", null, "loopback (RFC 4291 §2.5.3)"),
          range("::ffff:0:0/96", "::ffff:0:0", "::ffff:ffff:ffff", "IPv4-mapped: reaches any IPv4 address, private ones included (RFC 4291 §2.5.5.2)"),
          range("64:ff9b::/96", "64:ff9b::", "64:ff9b::ffff:ffff", "NAT64 well-known prefix: embeds IPv4 (RFC 6052)"),
          range("64:ff9b:1::/48", "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "NAT64 local-use prefix (RFC 8215)"),
          range("100::/64", "100::", "100::ffff:ffff:ffff:ffff", "discard-only (RFC 6666)"),
          range("2001::/23", "2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "IETF protocol assignments, including Teredo (RFC 2928, RFC 4380)"),
          range("2001:db8::/32", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation (RFC 3849)"),
          range("2002::/16", "2002::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "6to4: embeds IPv4 (RFC 3056)"),
          range("fc00::/7", "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique local addresses (RFC 4193)"),
          range("fe80::/10", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local (RFC 4291 §2.5.6)"),
          range("fec0::/10", "fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "site-local, deprecated but still routed inside some networks (RFC 3879)"),
          range("ff00::/8", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "multicast (RFC 4291 §2.7)"));

  /** The value of {@code denied-peer-ip=}: {@code first-last}, or the single address. */
  public String coturnValue() {
    return last == null ? first : first + "-" + last;
  }

  private static DeniedPeerRange range(String cidr, String first, String last, String why) {
    return new DeniedPeerRange(cidr, first, last, why);
  }
}
