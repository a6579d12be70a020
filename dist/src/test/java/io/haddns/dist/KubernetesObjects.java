package io.haddns.dist;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects of a {@code helm template} output, read into Fabric8's Kubernetes and
 * prometheus-operator models and checked strictly: a kind or apiVersion the chart should not make
 * is refused, and so is any field the API schema does not know, at any depth (Fabric8 keeps those
 * in each object's {@code additionalProperties} instead of failing).
 */
final class KubernetesObjects {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Pod", Pod.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

  private static final ObjectMapper YAML =
      new YAMLMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private KubernetesObjects() {}

  /**
   * Reads every document of {@code manifests}.
   *
   * @throws IllegalArgumentException listing every unknown kind and unknown field, with its path
   */
  static List<HasMetadata> read(String manifests) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(manifests)) {
      var docs = YAML.readValues(parser, Map.class);
      while (docs.hasNext()) {
        Map<?, ?> doc = (Map<?, ?>) docs.next();
        if (doc == null || doc.isEmpty()) {
          continue;
        }
        String type = doc.get("apiVersion") + "/" + doc.get("kind");
        Class<? extends HasMetadata> model = KINDS.get(type);
        if (model == null) {
          problems.add(type + ": not a kind the chart is expected to make");
          continue;
        }
        HasMetadata object = YAML.convertValue(doc, model);
        String where = doc.get("kind") + "/" + object.getMetadata().getName();
        unknownFields(object, where, problems, new IdentityHashMap<>());
        objects.add(object);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return objects;
  }

  private static void unknownFields(
      Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "[" + k + "]", problems, seen));
      return;
    }
    if (!value.getClass().getPackageName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object child = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          problems.add(path + ": unknown field(s) " + Set.copyOf(extra.keySet()));
        }
        continue;
      }
      String name = getter.getName().substring(3);
      unknownFields(
          child,
          path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
          problems,
          seen);
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }
}
