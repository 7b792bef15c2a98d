import math

from evals.metrics import balanced_accuracy_at, best_balanced_accuracy, pearson, roc_auc, spearman


def test_roc_auc_counts_ordered_pairs_with_ties_as_half():
    # positives 0.9, 0.4; negatives 0.4, 0.1 -> pairs: (0.9>0.4) (0.9>0.1) (0.4=0.4 -> .5) (0.4>0.1) = 3.5 / 4
    assert roc_auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0]) == 3.5 / 4


def test_balanced_accuracy_and_best_threshold():
    scores, labels = [0.9, 0.8, 0.3, 0.2, 0.7], [1, 1, 0, 0, 0]
    assert balanced_accuracy_at(scores, labels, 0.75) == 1.0
    assert balanced_accuracy_at(scores, labels, 0.5) == (1.0 + 2 / 3) / 2
    best, threshold = best_balanced_accuracy(scores, labels)
    assert best == 1.0 and 0.7 < threshold <= 0.8


def test_missing_scores_are_skipped_and_degenerate_input_is_nan():
    assert abs(pearson([1.0, None, 2.0, 3.0], [1.0, 5.0, 2.0, 3.0]) - 1.0) < 1e-9
    assert abs(spearman([3.0, 2.0, 1.0], [1.0, 2.0, 3.0]) + 1.0) < 1e-9
    assert math.isnan(roc_auc([0.1, 0.2], [1, 1]))
