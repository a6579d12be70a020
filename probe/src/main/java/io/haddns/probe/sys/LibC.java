package io.haddns.probe.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;

/**
 * The few libc socket calls the raw-socket probers (ICMP echo, TCP half-open) need, with Linux
 * x86-64/aarch64 constants. Arrays are copied to and from native memory by JNA; {@code
 * size_t}/{@code ssize_t} are 64-bit here.
 */
public interface LibC extends Library {
  int AF_INET = 2;
  int AF_INET6 = 10;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_NONBLOCK = 0x800;
  int SOCK_CLOEXEC = 0x80000;
  int IPPROTO_ICMP = 1;
  int IPPROTO_TCP = 6;
  int IPPROTO_ICMPV6 = 58;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_ATTACH_FILTER = 26;
  int SO_RCVBUFFORCE = 33;
  int SOL_RAW = 255;
  int ICMP_FILTER = 1;
  int ICMP6_FILTER = 1;
  int MSG_DONTWAIT = 0x40;
  short POLLIN = 1;
  int EFD_NONBLOCK = 0x800;
  int EFD_CLOEXEC = 0x80000;

  int EPERM = 1;
  int EINTR = 4;
  int EAGAIN = 11;
  int EACCES = 13;
  int EINVAL = 22;
  int EPROTONOSUPPORT = 93;
  int EAFNOSUPPORT = 97;
  int ENETUNREACH = 101;
  int EHOSTUNREACH = 113;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

  long sendto(int fd, byte[] buf, long length, int flags, byte[] addr, int addrLength)
      throws LastErrorException;

  long recvfrom(int fd, byte[] buf, long length, int flags, byte[] addr, int[] addrLength)
      throws LastErrorException;

  /** {@code fds} holds {@code struct pollfd[nfds]}: int fd, short events, short revents. */
  int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

  int eventfd(int initval, int flags) throws LastErrorException;

  long write(int fd, byte[] buf, long count) throws LastErrorException;

  long read(int fd, byte[] buf, long count) throws LastErrorException;

  int close(int fd) throws LastErrorException;
}
