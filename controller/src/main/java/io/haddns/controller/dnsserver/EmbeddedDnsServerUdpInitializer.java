package io.haddns.controller.dnsserver;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;

/** The pipeline of the DNS-over-UDP channel: each datagram is one query (RFC 1035 §4.2.1). */
final class EmbeddedDnsServerUdpInitializer extends ChannelInitializer<DatagramChannel> {
  private final DnsQueryHandler handler;

  EmbeddedDnsServerUdpInitializer(DnsQueryHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void initChannel(DatagramChannel ch) {
    ch.pipeline().addLast(handler);
  }
}
