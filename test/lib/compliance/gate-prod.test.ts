import { describeProfileUnderGate } from '../../helpers/gate-profiles';

describeProfileUnderGate('prod');
