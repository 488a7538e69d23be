package io.planetexporter.api;

/** The validator of an option that declares none; one instance, so that options compare equal. */
enum NoValidation implements OptionValidator {
  INSTANCE;

  @Override
  public void validate(Object value) {}
}
