package io.planetexporter.task.socketstat.runtime;

/**
 * The owner of a Kubernetes pod, told from the pod's name alone (the state files hold no owner
 * reference): the name without the suffix its controller generated.
 *
 * <ul>
 *   <li>Deployment: {@code <deployment>-<pod-template-hash>-<random>}, e.g. {@code
 *       checkout-7d9f8b6c5d-x2x4k} → {@code checkout}; the hash is 6 to 10 characters and the
 *       random suffix 5, both of the alphabet Kubernetes generates them from ({@code
 *       bcdfghjklmnpqrstvwxz2456789}, no vowels, no 0, 1 or 3).
 *   <li>CronJob: {@code <cronjob>-<scheduled minute>-<random>}, e.g. {@code backup-28930000-k2x9p}
 *       → {@code backup}.
 *   <li>DaemonSet, Job, a ReplicaSet of its own: {@code <owner>-<random>} → {@code <owner>}.
 *   <li>StatefulSet: {@code <statefulset>-<ordinal>}, e.g. {@code db-0} → {@code db}.
 *   <li>Anything else (a bare pod, a static pod): the name as it is.
 * </ul>
 *
 * <p>A bare pod whose name happens to end like one of these (say {@code web-1}) is named as if a
 * controller owned it: the name alone cannot tell.
 */
final class PodOwner {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int RANDOM_LENGTH = 5;
  private static final int MIN_HASH = 6;
  private static final int MAX_HASH = 10;

  private PodOwner() {}

  static String of(String pod) {
    int last = pod.lastIndexOf('-');
    if (last <= 0) {
      return pod;
    }
    String suffix = pod.substring(last + 1);
    if (isGenerated(suffix, RANDOM_LENGTH, RANDOM_LENGTH)) {
      int before = pod.lastIndexOf('-', last - 1);
      if (before > 0) {
        String middle = pod.substring(before + 1, last);
        if (isGenerated(middle, MIN_HASH, MAX_HASH) || isDigits(middle)) {
          return pod.substring(0, before);
        }
      }
      return pod.substring(0, last);
    }
    return isDigits(suffix) ? pod.substring(0, last) : pod;
  }

  private static boolean isGenerated(String text, int min, int max) {
    if (text.length() < min || text.length() > max) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (ALPHABET.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
