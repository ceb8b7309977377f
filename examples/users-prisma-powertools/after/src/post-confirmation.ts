import type { LambdaInterface } from '@aws-lambda-powertools/commons/types';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { prisma } from './db.js';

const logger = new Logger({ serviceName: 'users' });

// Cognito post-confirmation trigger: creates the user's profile row after sign-up.
class PostConfirmation implements LambdaInterface {
  @logger.injectLambdaContext()
  public async handler(event: PostConfirmationTriggerEvent, _context: Context): Promise<PostConfirmationTriggerEvent> {
    await prisma.profile.upsert({
      where: { cognitoSub: event.request.userAttributes.sub! },
      create: { cognitoSub: event.request.userAttributes.sub!, email: event.request.userAttributes.email! },
      update: {},
    });
    logger.info('profile created');
    // No `$disconnect()`: the client and its connection serve the next invocation too.
    return event;
  }
}

const lambda = new PostConfirmation();
export const handler = lambda.handler.bind(lambda);
