package dev.glint.shared.aws;

import dev.glint.shared.changes.TableChange;
import dev.glint.shared.social.Comment;
import dev.glint.shared.social.Post;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static dev.glint.shared.aws.DynamoTable.ENTITY;
import static dev.glint.shared.aws.DynamoTable.instant;
import static dev.glint.shared.aws.DynamoTable.required;
import static dev.glint.shared.aws.DynamoTable.str;

/**
 * Reads the table's change records into {@link TableChange}s: the one place that knows which items
 * mean what (by their {@code entity} attribute) and how each is laid out (the item mappers). Items
 * the stream processor derives nothing from are {@link TableChange.Unrelated}.
 *
 * <p>An item of a known kind that lacks an attribute its kind always has cannot be read: the record
 * fails, so the event source retries it and finally parks it, rather than counting it wrongly. An
 * item that carries no time of its own (written by hand) is taken to change now.
 */
public final class StreamDecoder {

    private final Clock clock;

    public StreamDecoder(Clock clock) {
        this.clock = clock;
    }

    /** @throws IllegalArgumentException if an item of a known kind cannot be read */
    public TableChange decode(ChangeRecord record) {
        boolean insert = record.kind() == ChangeRecord.Kind.INSERT;
        boolean remove = record.kind() == ChangeRecord.Kind.REMOVE;
        Map<String, AttributeValue> image = remove ? record.oldImage() : record.newImage();
        String id = record.eventId();
        String entity = str(image, ENTITY);
        if (entity == null) {
            return new TableChange.Unrelated(id);
        }
        switch (entity) {
            case PostItem.ENTITY_NAME:
                if (insert) {
                    return new TableChange.PostCreated(id, post(record.newImage()));
                }
                return remove ? new TableChange.PostDeleted(id, post(record.oldImage()))
                        : new TableChange.PostChanged(id, post(record.oldImage()), post(record.newImage()));
            case EngagementItem.LIKE: {
                EngagementItem.Like like = EngagementItem.likeFromItem(image);
                Instant at = orNow(like.createdAt());
                if (insert || remove) {
                    return insert ? new TableChange.LikeAdded(id, like.postId(), like.userId(), at)
                            : new TableChange.LikeRemoved(id, like.postId(), like.userId(), at);
                }
                break;
            }
            case EngagementItem.COMMENT: {
                Comment read = EngagementItem.commentFromItem(image);
                Comment comment = new Comment(read.id(), read.postId(), read.authorId(), read.text(), orNow(read.createdAt()),
                        read.removed());
                if (insert || remove) {
                    return insert ? new TableChange.CommentAdded(id, comment) : new TableChange.CommentRemoved(id, comment);
                }
                break;
            }
            case FollowItem.ENTITY_NAME: {
                FollowItem.Edge edge = FollowItem.edgeFromItem(image);
                Instant at = orNow(edge.createdAt());
                if (insert || remove) {
                    return insert ? new TableChange.FollowAdded(id, edge.followerId(), edge.followeeId(), at, FollowItem.approved(image))
                            : new TableChange.FollowRemoved(id, edge.followerId(), edge.followeeId(), at);
                }
                break;
            }
            case DynamoPrivacyStore.REQUEST:
                if (insert) {
                    return new TableChange.FollowRequested(id, required(image, "requesterId"), required(image, "ownerId"),
                            orNow(instant(image, "createdAt")));
                }
                break;
            case ProfileItem.ENTITY_NAME:
                if (insert) {
                    return new TableChange.ProfileCreated(id, required(image, "userId"), orNow(instant(image, "createdAt")));
                }
                break;
            case ExperimentItem.EXPOSURE:
                if (insert) {
                    return new TableChange.ExposureRecorded(id, ExperimentItem.exposureFromItem(image));
                }
                break;
            case ExperimentItem.CONVERSION:
                if (insert) {
                    return new TableChange.ConversionRecorded(id, ExperimentItem.conversionFromItem(image));
                }
                break;
            case ModerationItem.ACTION:
                if (insert) {
                    var action = ModerationItem.action(image);
                    var target = action.target();
                    return new TableChange.Moderated(id, action.action() == dev.glint.shared.moderation.Report.Action.TAKEDOWN,
                            action.ownerId(), target.kind().name(),
                            target.kind() == dev.glint.shared.moderation.ReportTarget.Kind.ACCOUNT ? target.userId() : target.postId());
                }
                break;
            default:
                break;
        }
        return new TableChange.Unrelated(id);
    }

    private Post post(Map<String, AttributeValue> image) {
        Post post = PostItem.fromItem(image);
        return post.createdAt() != null ? post : new Post(post.id(), post.authorId(), post.caption(), post.status(),
                post.photos(), clock.instant(), post.likes(), post.comments(), post.failureReason(), post.version(), post.removed());
    }

    private Instant orNow(Instant at) {
        return at != null ? at : clock.instant();
    }
}
