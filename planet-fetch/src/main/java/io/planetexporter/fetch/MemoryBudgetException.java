package io.planetexporter.fetch;

/**
 * A charge to a {@link MemoryBudget.Account} that the budget cannot take. Unchecked because it is
 * thrown from deep inside a reader (a text-format visitor, a JSON entry handler) whose signatures
 * know nothing of budgets; {@link BoundedFetcher} turns it into the fetch's {@link FetchException}.
 */
public final class MemoryBudgetException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MemoryBudgetException(String message) {
    super(message);
  }
}
