package io.haddns.controller.provider.route53;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A local Route 53 REST/XML API (2013-04-01) for contract tests: verifies Signature V4 on every
 * request, lists hosted zones by name, paginates ListResourceRecordSets (IsTruncated,
 * NextRecordName/NextRecordType), applies change batches atomically with CREATE/DELETE/UPSERT
 * semantics (DELETE must match exactly), enforces the per-request limits, answers GetChange, and
 * can answer Throttling once.
 */
final class FakeRoute53Server implements AutoCloseable {
  static final String ZONE_ID = "Z0EXAMPLE123";
  static final String ACCESS_KEY = "AKIDHADDNSTEST";
  static final String SECRET = "haddns/route53/test/secret/0123456789";
  private static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
  private static final int DEFAULT_PAGE = 100;

  /** A stored RRset. */
  record RRset(long ttl, List<String> values) {}

  /** What one ChangeResourceRecordSets request carried, as Route 53 counts it. */
  record ChangeCall(int records, int chars, int changes) {}

  private final HttpServer server;
  private final SigV4Verifier verifier =
      new SigV4Verifier(ACCESS_KEY, SECRET, "us-east-1", "route53");
  private final String zoneName;
  // Key "name|TYPE" with names as Route 53 answers them (lower case, trailing dot, \052).
  final TreeMap<String, RRset> rrsets = new TreeMap<>();
  final List<ChangeCall> changeCalls = new CopyOnWriteArrayList<>();
  final List<Long> requestTimes = new CopyOnWriteArrayList<>();
  final AtomicInteger throttleNext = new AtomicInteger();
  final AtomicInteger pendingPolls = new AtomicInteger();
  final AtomicInteger getChangeCalls = new AtomicInteger();
  final AtomicInteger listCalls = new AtomicInteger();
  final AtomicInteger refusedSignatures = new AtomicInteger();

  /** The next {@link #cannedChanges} ChangeResourceRecordSets get this (status, type, body). */
  volatile String[] cannedChange;

  final AtomicInteger cannedChanges = new AtomicInteger();
  private final Map<String, Integer> changes = Collections.synchronizedMap(new HashMap<>());
  private final AtomicInteger changeIds = new AtomicInteger();

  FakeRoute53Server(String zoneName) throws IOException {
    this.zoneName = zoneName.endsWith(".") ? zoneName : zoneName + ".";
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static String key(String name, String type) {
    return storedName(name) + "|" + type;
  }

  static String storedName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    n = n.endsWith(".") ? n : n + ".";
    return n.startsWith("*.") ? "\\052" + n.substring(1) : n;
  }

  synchronized void put(String name, String type, long ttl, String... values) {
    rrsets.put(key(name, type), new RRset(ttl, List.of(values)));
  }

  synchronized Optional<RRset> get(String name, String type) {
    return Optional.ofNullable(rrsets.get(key(name, type)));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    requestTimes.add(System.nanoTime());
    try (ex) {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, List<String>> headers = new HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      URI uri = ex.getRequestURI();
      Optional<String> bad =
          verifier.verify(
              ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
      if (bad.isPresent()) {
        refusedSignatures.incrementAndGet();
        error(
            ex, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match");
        return;
      }
      if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(ex, 400, "Throttling", "Rate exceeded");
        return;
      }
      String path = uri.getRawPath();
      Map<String, String> query = query(uri.getRawQuery());
      if (ex.getRequestMethod().equals("GET") && path.equals("/2013-04-01/hostedzonesbyname")) {
        hostedZonesByName(ex);
      } else if (ex.getRequestMethod().equals("GET")
          && path.matches("/2013-04-01/hostedzone/[^/]+/rrset/?")) {
        if (!path.contains("/" + ZONE_ID + "/")) {
          error(ex, 404, "NoSuchHostedZone", "No hosted zone found with ID");
          return;
        }
        list(ex, query);
      } else if (ex.getRequestMethod().equals("POST")
          && path.matches("/2013-04-01/hostedzone/[^/]+/rrset/?")) {
        if (!path.contains("/" + ZONE_ID + "/")) {
          error(ex, 404, "NoSuchHostedZone", "No hosted zone found with ID");
          return;
        }
        String[] canned = cannedChange;
        if (cannedChanges.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          byte[] b = canned[2].getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", canned[1]);
          ex.sendResponseHeaders(Integer.parseInt(canned[0]), b.length);
          ex.getResponseBody().write(b);
          return;
        }
        change(ex, body);
      } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/2013-04-01/change/")) {
        getChange(ex, path.substring(path.lastIndexOf('/') + 1));
      } else {
        error(ex, 404, "InvalidInput", "unknown path " + path);
      }
    } catch (RuntimeException e) {
      error(ex, 500, "InternalFailure", String.valueOf(e));
    }
  }

  private void hostedZonesByName(HttpExchange ex) throws IOException {
    respond(
        ex,
        200,
        "<ListHostedZonesByNameResponse xmlns=\""
            + NS
            + "\"><HostedZones><HostedZone><Id>/hostedzone/"
            + ZONE_ID
            + "</Id><Name>"
            + zoneName
            + "</Name><CallerReference>haddns-test</CallerReference><Config><PrivateZone>false"
            + "</PrivateZone></Config><ResourceRecordSetCount>"
            + rrsets.size()
            + "</ResourceRecordSetCount></HostedZone></HostedZones><IsTruncated>false"
            + "</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>");
  }

  private void list(HttpExchange ex, Map<String, String> query) throws IOException {
    listCalls.incrementAndGet();
    int max = Integer.parseInt(query.getOrDefault("maxitems", String.valueOf(DEFAULT_PAGE)));
    StringBuilder xml = new StringBuilder("<ListResourceRecordSetsResponse xmlns=\"" + NS + "\">");
    xml.append("<ResourceRecordSets>");
    List<Map.Entry<String, RRset>> page = new ArrayList<>();
    Optional<Map.Entry<String, RRset>> next = Optional.empty();
    synchronized (this) {
      String from =
          query.containsKey("name") ? key(query.get("name"), query.getOrDefault("type", "")) : "";
      for (Map.Entry<String, RRset> e : rrsets.tailMap(from, true).entrySet()) {
        if (page.size() == max) {
          next = Optional.of(e);
          break;
        }
        page.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    for (Map.Entry<String, RRset> e : page) {
      String[] nt = e.getKey().split("\\|");
      xml.append("<ResourceRecordSet><Name>")
          .append(nt[0])
          .append("</Name><Type>")
          .append(nt[1])
          .append("</Type><TTL>")
          .append(e.getValue().ttl())
          .append("</TTL><ResourceRecords>");
      for (String v : e.getValue().values()) {
        xml.append("<ResourceRecord><Value>").append(escape(v)).append("</Value></ResourceRecord>");
      }
      xml.append("</ResourceRecords></ResourceRecordSet>");
    }
    xml.append("</ResourceRecordSets>");
    if (next.isPresent()) {
      String[] nt = next.get().getKey().split("\\|");
      xml.append("<IsTruncated>true</IsTruncated><NextRecordName>")
          .append(nt[0])
          .append("</NextRecordName><NextRecordType>")
          .append(nt[1])
          .append("</NextRecordType>");
    } else {
      xml.append("<IsTruncated>false</IsTruncated>");
    }
    xml.append("<MaxItems>").append(max).append("</MaxItems></ListResourceRecordSetsResponse>");
    respond(ex, 200, xml.toString());
  }

  private void change(HttpExchange ex, byte[] body) throws IOException {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (Exception e) {
      error(ex, 400, "InvalidInput", "malformed XML");
      return;
    }
    if (!doc.getDocumentElement().getTagName().equals("ChangeResourceRecordSetsRequest")) {
      error(ex, 400, "InvalidInput", "root element is not ChangeResourceRecordSetsRequest");
      return;
    }
    NodeList changeNodes = doc.getElementsByTagName("Change");
    int records = 0;
    int chars = 0;
    List<String> problems = new ArrayList<>();
    synchronized (this) {
      TreeMap<String, RRset> next = new TreeMap<>(rrsets);
      for (int i = 0; i < changeNodes.getLength(); i++) {
        Element c = (Element) changeNodes.item(i);
        String action = text(c, "Action");
        String name = text(c, "Name");
        String type = text(c, "Type");
        long ttl = Long.parseLong(text(c, "TTL"));
        List<String> values = new ArrayList<>();
        NodeList vs = c.getElementsByTagName("Value");
        for (int j = 0; j < vs.getLength(); j++) {
          values.add(vs.item(j).getTextContent());
        }
        int factor = action.equals("UPSERT") ? 2 : 1;
        records += values.size() * factor;
        chars += values.stream().mapToInt(String::length).sum() * factor;
        String k = key(name, type);
        RRset existing = next.get(k);
        String label = "[name='" + storedName(name) + "', type='" + type + "']";
        switch (action) {
          case "CREATE" -> {
            if (existing != null) {
              problems.add(
                  "Tried to create resource record set " + label + " but it already exists");
            } else {
              next.put(k, new RRset(ttl, values));
            }
          }
          case "DELETE" -> {
            if (existing == null) {
              problems.add(
                  "Tried to delete resource record set " + label + " but it was not found");
            } else if (existing.ttl() != ttl
                || !new java.util.HashSet<>(existing.values())
                    .equals(new java.util.HashSet<>(values))) {
              problems.add(
                  "Tried to delete resource record set "
                      + label
                      + " but the values provided do not match the current values");
            } else {
              next.remove(k);
            }
          }
          case "UPSERT" -> next.put(k, new RRset(ttl, values));
          default -> problems.add("unknown action " + action);
        }
      }
      if (records > ChangeBatches.MAX_RECORDS || chars > ChangeBatches.MAX_CHARS) {
        problems.add("request exceeds limits: records=" + records + " chars=" + chars);
      }
      if (!problems.isEmpty()) {
        error(ex, 400, "InvalidChangeBatch", problems.toString());
        return;
      }
      rrsets.clear();
      rrsets.putAll(next);
      changeCalls.add(new ChangeCall(records, chars, changeNodes.getLength()));
    }
    String id = "C" + changeIds.incrementAndGet();
    changes.put(id, pendingPolls.get());
    respond(ex, 200, changeInfo("ChangeResourceRecordSetsResponse", id, "PENDING"));
  }

  private void getChange(HttpExchange ex, String id) throws IOException {
    getChangeCalls.incrementAndGet();
    Integer left = changes.get(id);
    if (left == null) {
      error(ex, 404, "NoSuchChange", "no change " + id);
      return;
    }
    changes.put(id, Math.max(0, left - 1));
    respond(ex, 200, changeInfo("GetChangeResponse", id, left > 0 ? "PENDING" : "INSYNC"));
  }

  private static String changeInfo(String root, String id, String status) {
    return "<"
        + root
        + " xmlns=\""
        + NS
        + "\"><ChangeInfo><Id>/change/"
        + id
        + "</Id><Status>"
        + status
        + "</Status><SubmittedAt>2026-01-01T00:00:00.000Z</SubmittedAt></ChangeInfo></"
        + root
        + ">";
  }

  private static void error(HttpExchange ex, int status, String code, String message)
      throws IOException {
    respond(
        ex,
        status,
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type><Code>"
            + code
            + "</Code><Message>"
            + escape(message)
            + "</Message></Error><RequestId>00000000-test</RequestId></ErrorResponse>");
  }

  private static void respond(HttpExchange ex, int status, String xml) throws IOException {
    byte[] b = ("<?xml version=\"1.0\"?>\n" + xml).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/xml");
    ex.getResponseHeaders().set("x-amzn-RequestId", "00000000-test");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private static String text(Element e, String tag) {
    NodeList n = e.getElementsByTagName(tag);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String p : raw.split("&")) {
      int eq = p.indexOf('=');
      out.put(
          SigV4Verifier.decode(eq < 0 ? p : p.substring(0, eq)),
          eq < 0 ? "" : SigV4Verifier.decode(p.substring(eq + 1)));
    }
    return out;
  }
}
