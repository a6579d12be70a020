/** The libc socket calls the raw-socket probers make through JNA (Linux only). */
package io.haddns.probe.sys;
